/* burst.c — for the --until tests (test_runtime.c): stops the monitor (its parent) with SIGSTOP,
 * waits until /proc says it is stopped, prints
 *     burst: TEST_PASS soon
 *     burst: TEST_PASS
 *     burst: after 1 ... burst: after 50
 * and lets the monitor go on (SIGCONT). So every line is in the pipe before the monitor reads any,
 * and one read gets them all: a monitor that printed the rest of a read after the line --until
 * matched would print them, every time, not only when the timing happens to bunch them. Host
 * calls: a test PD only, never built for seL4. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/pd.h"

/* The state letter of /proc/PID/stat ('T' when stopped), or 0. */
static char proc_state(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    const char *paren = strrchr(buf, ')'); /* after "PID (COMM" */
    return paren && paren[1] == ' ' ? paren[2] : 0;
}

void init(void)
{
    pid_t monitor = getppid();
    if (kill(monitor, SIGSTOP) != 0) {
        say("cannot stop the monitor");
        return;
    }
    /* Bounded: 10 s of 1 ms polls, then the test fails on the message. */
    for (int i = 0; proc_state(monitor) != 'T'; i++) {
        if (i == 10000) {
            kill(monitor, SIGCONT);
            say("the monitor did not stop");
            return;
        }
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    say("TEST_PASS soon");
    say("TEST_PASS");
    for (seL4_Word i = 1; i <= 50; i++)
        say("after %U", i);
    kill(monitor, SIGCONT);
}

void notified(microkit_channel ch) { (void)ch; }
