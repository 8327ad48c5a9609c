/* sender: defers a notify to high from its init. */
#include "out.h"

void init(void)
{
    say("init, deferring a notify to high");
    microkit_deferred_notify(1);
    say("init ends");
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
