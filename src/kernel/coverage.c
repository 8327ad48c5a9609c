/* coverage.c — hostkit run --coverage: a PD image built with gcc's --coverage keeps its gcov
 * counters in memory, and libgcov writes them (.gcda files beside the objects) when the process
 * exits through exit(), which a PD never does: the monitor ends the run by killing its processes.
 * With --coverage (kobj.h hk_ctl.coverage) the monitor asks with SIGTERM instead, and the PD exits
 * through exit(); a PD that faults with nobody to handle it exits so too, after the monitor's
 * report (its status is then 128 + the signal, as a process killed by it reports). Counting is
 * libgcov's; an image built without --coverage just exits.
 *
 * Once a PD is on its way out, every signal is blocked: the monitor's SIGTERM may arrive while
 * exit() is running libgcov's writer (a PD that faulted exits by itself as the run ends), and a
 * second exit() from the handler would skip the destructors the first had taken off glibc's list,
 * libgcov's among them, and end the process with its counters unwritten. */
#include <signal.h>
#include <stdlib.h>

#include "kernel/kernel.h"

void hk_coverage_exit(int status)
{
    if (!hk_cfg->coverage)
        return;
    sigset_t all;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, NULL);
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
