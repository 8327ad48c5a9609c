/* Waits, blocked, for the test to say (an IRQ from --irq-stdin) that the monitor has reaped the
 * victim it killed: a PD cannot see another PD's process (its own PID namespace). */
#include "../common/pd.h"

void init(void) { say("waiting for the victim to be killed"); }

void notified(microkit_channel ch)
{
    if (ch != 3)
        return;
    say("victim gone; notify victim, then bystander");
    microkit_notify(1);
    microkit_notify(2);
    say("done");
}
