/* other: when tx notifies it, signals rx's channel 0. */
#include "out.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say_dec("notified on channel", ch);
    say("signalling rx's 0");
    microkit_notify(1);
}
