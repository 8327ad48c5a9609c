/* sender: from init, notifies its two equal-priority peers (channel 1: before, 2: after). */
#include "out.h"

void init(void)
{
    say("init, notifying before");
    microkit_notify(1);
    say("init, notifying after");
    microkit_notify(2);
    say("init ends");
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
