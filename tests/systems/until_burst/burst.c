/* burst.c — for the --until tests (test_runtime.c): writes
 *     burst: TEST_PASS soon
 *     burst: TEST_PASS
 *     burst: after 1 ... burst: after 50
 * to the monitor's output pipe in one write (under PIPE_BUF bytes: atomic), so one read of the
 * monitor gets them all: a monitor that printed the rest of a read after the line --until matched
 * would print them, every time, not only when the timing happens to bunch them. It writes to
 * libhostkit's output descriptor itself (kobj.h's HK_FD_OUT), as the debug kernel's lines are
 * written one at a time. Host calls: a test PD only, never built for seL4. */
#include <stdio.h>
#include <unistd.h>

#include "../common/pd.h"
#include "../../../src/kernel/kobj.h"

void init(void)
{
    char text[2048];
    int n = snprintf(text, sizeof text, "burst: TEST_PASS soon\nburst: TEST_PASS\n");
    for (int i = 1; i <= 50; i++)
        n += snprintf(text + n, sizeof text - (size_t)n, "burst: after %d\n", i);
    if (write(HK_FD_OUT, text, (size_t)n) != n)
        say("could not write its lines at once");
}

void notified(microkit_channel ch) { (void)ch; }
