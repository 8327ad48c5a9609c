/* cli.h — the subcommands of the `hostkit` program; each takes the arguments after its name. */
#ifndef HOSTKIT_CLI_H
#define HOSTKIT_CLI_H
int cmd_run(int argc, char **argv);   /* monitor.c */
int cmd_check(int argc, char **argv); /* check.c */
int cmd_graph(int argc, char **argv); /* graph.c */
#endif
