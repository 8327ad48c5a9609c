/* hostkit.c — the `hostkit` command: picks the subcommand. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#define HOSTKIT_VERSION "0.1.0"

static int usage(FILE *f, int code)
{
    fputs("usage: hostkit run [OPTIONS] SYSTEM     run a Microkit system, one process per PD\n"
          "       hostkit check [OPTIONS] SYSTEM   check a system description\n"
          "       hostkit graph [OPTIONS] SYSTEM   draw a system description (Graphviz)\n"
          "       hostkit --version\n"
          "Run `hostkit run --help`, `hostkit check --help` or `hostkit graph --help` for their options.\n",
          f);
    return code;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage(stderr, 2);
    if (!strcmp(argv[1], "run"))
        return cmd_run(argc - 1, argv + 1);
    if (!strcmp(argv[1], "check"))
        return cmd_check(argc - 1, argv + 1);
    if (!strcmp(argv[1], "graph"))
        return cmd_graph(argc - 1, argv + 1);
    if (!strcmp(argv[1], "--version")) {
        printf("hostkit %s\n", HOSTKIT_VERSION);
        return 0;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
        return usage(stdout, 0);
    fprintf(stderr, "hostkit: unknown command '%s'\n", argv[1]);
    return usage(stderr, 2);
}
