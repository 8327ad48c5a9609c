/* a: when high notifies it, notifies w (its own priority). */
#include "out.h"

void init(void)
{
    /* Quiet: the order of equal-priority inits is init_order_equal's rule. */
}

void notified(microkit_channel ch)
{
    say_dec("notified on channel", ch);
    say("notifying w");
    microkit_notify(3);
    say("handler ends");
}
