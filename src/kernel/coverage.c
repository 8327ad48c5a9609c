/* coverage.c — hostkit run --coverage: a PD image built with gcc's --coverage keeps its gcov
 * counters in memory, and libgcov writes them (.gcda files beside the objects) when the process
 * exits through exit(), which a PD never does: the monitor ends the run by killing its processes.
 * With --coverage (kobj.h hk_ctl.coverage) the monitor asks with SIGTERM instead, and the PD exits
 * through exit(); a PD that faults with nobody to handle it exits so too, after the monitor's
 * report (its status is then 128 + the signal, as a process killed by it reports). Counting is
 * libgcov's; an image built without --coverage just exits. */
#include <signal.h>
#include <stdlib.h>

#include "kernel/kernel.h"

void hk_coverage_exit(int status)
{
    if (!hk_cfg->coverage)
        return;
    hk_out_flush();
    exit(status); /* libgcov's destructor writes the counters */
}

static void on_term(int sig)
{
    (void)sig;
    hk_coverage_exit(0);
}

void hk_coverage_setup(void)
{
    if (!hk_cfg->coverage)
        return;
    struct sigaction sa = {0};
    sa.sa_handler = on_term;
    sigfillset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
}
