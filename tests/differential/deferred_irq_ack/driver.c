/* driver: has IRQ channel 5; each round defers a notify to b and an IRQ ack, in varying order. */
#include "out.h"

static int round;

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    (void)ch;
    round++;
    if (round == 1) {
        say("deferring a notify to b, then an ack of IRQ channel 5");
        microkit_deferred_notify(1);
        microkit_deferred_irq_ack(5);
    } else if (round == 2) {
        say("deferring an ack of IRQ channel 5, then a notify to b");
        microkit_deferred_irq_ack(5);
        microkit_deferred_notify(1);
    } else {
        say("deferring a notify to b, then an ack of channel 1 (not an IRQ)");
        microkit_deferred_notify(1);
        microkit_deferred_irq_ack(1);
    }
    say("handler ends");
}
