/* high: when the server notifies it, signals the client. */
#include "out.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say_dec("notified on channel", ch);
    say("notifying the client");
    microkit_notify(1);
}
