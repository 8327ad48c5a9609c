/* sender: from init, notifies the lower-priority PD on channel 1. */
#include "out.h"

void init(void)
{
    say("init, notifying low");
    microkit_notify(1);
    say("init ends");
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
