/* driver: init defers a notify to b, then an IRQ ack; notified() defers a notify alone. */
#include "out.h"

void init(void)
{
    say("init, deferring a notify to b, then an ack of IRQ channel 5");
    microkit_deferred_notify(1);
    microkit_deferred_irq_ack(5);
    say("init ends");
}

void notified(microkit_channel ch)
{
    say_dec("notified on channel", ch);
    say("deferring a notify to b");
    microkit_deferred_notify(1);
    say("handler ends");
}
