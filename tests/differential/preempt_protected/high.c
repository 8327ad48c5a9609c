/* high: when the server notifies it, notifies the server back. */
#include "out.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say_dec("notified on channel", ch);
    say("notifying server back");
    microkit_notify(3);
    say("handler ends");
}
