/* term_in_exit.c — linked into tests/systems/crash/crasher by tests/test_coverage.sh only: a
 * destructor that runs before libgcov's (default priority runs before gcov's priority-100 one) and
 * sends the PD the SIGTERM with which the monitor ends a --coverage run, as if it arrived while the
 * PD, having faulted, was exiting by itself. Its counters must still be written. */
#include <signal.h>

__attribute__((destructor)) static void sigterm_while_exiting(void)
{
    raise(SIGTERM);
}
