/* Restarts its child, which faults in init every time, 1,000 times. After 10 it waits for the
 * test (which looks at the monitor's processes, descriptors and memory then) to raise its IRQ;
 * after 1,000 it stops the child, and the test looks again. */
#include "../common/pd.h"

#define RESTARTS 1000

static unsigned faults;

void init(void) { say("init"); }

void notified(microkit_channel ch)
{
    if (ch == 2 && faults == 10) {
        say("restarting it again");
        microkit_pd_restart(3, 0);
        return;
    }
    say("notified by channel %u", ch);
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply)
{
    (void)msginfo;
    (void)reply;
    faults++;
    if (faults == 10) { /* settled: the test measures the monitor from here on */
        say("child %u faulted 10 times; waiting", child);
        return seL4_False;
    }
    if (faults < RESTARTS + 1) {
        microkit_pd_restart(child, 0);
        return seL4_False;
    }
    microkit_pd_stop(child);
    say("child %u faulted %U times, restarted %u times, now stopped", child, (seL4_Word)faults, (unsigned)RESTARTS);
    return seL4_False;
}
