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
 * libgcov's among them, and end the process with its counters unwritten. The signals are blocked
 * before anything else is done, the check of --coverage included.
 *
 * Under AddressSanitizer the compiler calls __asan_handle_no_return before a call that cannot
 * return, and that hook takes a lock of glibc's (pthread_getattr_np's). It once ran here before
 * the signals were blocked; the monitor's SIGTERM, taken inside it, ran this function again from
 * on_term, which waited for that lock for ever, and the PD was killed ten seconds later with its
 * counters unwritten (CI saw it once; about one run in a hundred here). Since the SIGTERM may also
 * come while the hook runs elsewhere (before the PD's thread starts, say), this function is left
 * uninstrumented, so that on_term's way out takes no lock of the sanitizer's: exit() runs
 * destructors below this frame, and no frame above it is returned to, so the hook's unpoisoning of
 * the stack has nothing to do. */
#include <signal.h>
#include <stdlib.h>

#include "kernel/kernel.h"

__attribute__((no_sanitize_address)) void hk_coverage_exit(int status)
{
    sigset_t all, was;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &was);
    if (!hk_cfg->coverage) {
        sigprocmask(SIG_SETMASK, &was, NULL);
        return;
    }
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
