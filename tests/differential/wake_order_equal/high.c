/* high: notified by kick, notifies b, then a. */
#include "out.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say_dec("notified on channel", ch);
    say("notifying b, then a");
    microkit_notify(1);
    microkit_notify(2);
    say("handler ends");
}
