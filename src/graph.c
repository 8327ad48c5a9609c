/* graph.c — `hostkit graph`: draws a system description. (Placeholder until the drawing lands.) */
#include <stdio.h>

#include "cli.h"

int cmd_graph(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("hostkit graph: not available yet\n", stderr);
    return 2;
}
