/* high: notified by kick, notifies x, y and z in that order. */
#include "out.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say_dec("notified on channel", ch);
    say("notifying x, y, z");
    microkit_notify(1);
    microkit_notify(2);
    microkit_notify(3);
    say("handler ends");
}
