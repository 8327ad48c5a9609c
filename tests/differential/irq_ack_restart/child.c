/* child: acks its IRQ channel 3 and (wrongly) channel 4 at each start; faults in its first. */
#include "out.h"

static seL4_Word starts;

void init(void)
{
    starts++;
    say_dec("init, start", starts);
    say("acking IRQ channel 3");
    microkit_irq_ack(3);
    say("acking channel 4 (not an IRQ)");
    microkit_irq_ack(4);
    say("deferring an ack of IRQ channel 3");
    microkit_deferred_irq_ack(3);
    if (starts == 1) {
        say("faulting");
        (void)*(volatile seL4_Word *)0x5000000;
    }
    say("init ends");
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
