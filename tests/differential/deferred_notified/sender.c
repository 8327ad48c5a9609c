/* sender: when kick notifies it, defers a notify to high. */
#include "out.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say_dec("notified on channel", ch);
    say("deferring a notify to high");
    microkit_deferred_notify(1);
    say("handler ends");
}
