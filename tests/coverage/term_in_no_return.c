/* term_in_no_return.c — linked into tests/systems/crash/crasher by tests/test_coverage.sh only. In
 * a build with AddressSanitizer (SANITIZE=1) the compiler calls __asan_handle_no_return before a
 * call that cannot return, and the runtime's hook takes a lock of glibc's (pthread_getattr_np).
 * This definition takes the runtime's place for the PD's calls and, once the PD has faulted (in
 * the fault's handler, SIGSEGV is blocked), plays what once happened in CI: the monitor's SIGTERM
 * arriving while the hook holds that lock. If the SIGTERM's handler then entered the hook again,
 * the PD would wait for that lock for ever; here it says so and ends at once, with status 97 and
 * its counters unwritten. kernel/coverage.c takes its way out with every signal blocked, and
 * without the hook, so the SIGTERM stays pending and the PD exits as it began to. Without the
 * sanitizer nothing calls this. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile sig_atomic_t inside;

void __asan_handle_no_return(void)
{
    static const char said[] = "term_in_no_return: the SIGTERM's handler entered the hook again\n";
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    if (sigismember(&now, SIGSEGV)) {
        if (inside) {
            (void)!write(2, said, sizeof said - 1);
            syscall(SYS_exit_group, 97); /* not _exit(), before which the compiler calls us */
        }
        inside = 1;
        raise(SIGTERM);
        inside = 0;
    }
    void (*runtime_hook)(void) = (void (*)(void))dlsym(RTLD_NEXT, "__asan_handle_no_return");
    if (runtime_hook)
        runtime_hook();
}
