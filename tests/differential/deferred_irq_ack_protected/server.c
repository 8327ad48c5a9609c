/* server: has IRQ channel 5; in protected(), defers a notify to b and an IRQ ack, in the order
 * the call's label says. */
#include "out.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    if (microkit_msginfo_get_label(msginfo) == 1) {
        say("call 1: deferring a notify to b, then an ack of IRQ channel 5");
        microkit_deferred_notify(3);
        microkit_deferred_irq_ack(5);
    } else {
        say("call 2: deferring an ack of IRQ channel 5, then a notify to b");
        microkit_deferred_irq_ack(5);
        microkit_deferred_notify(3);
    }
    say("replying");
    return microkit_msginfo_new(0, 0);
}
