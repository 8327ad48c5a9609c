/* high: from its init, signals low's channel 7 three times and its channel 3 twice. */
#include "out.h"

void init(void)
{
    say("init, signalling low's 7, 3, 7, 3, 7");
    microkit_notify(1);
    microkit_notify(2);
    microkit_notify(1);
    microkit_notify(2);
    microkit_notify(1);
    say("init ends");
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
