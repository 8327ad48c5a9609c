/* high: each time kick notifies it, signals low three times on one channel. */
#include "out.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say_dec("notified on channel", ch);
    for (int i = 0; i < 3; i++)
        microkit_notify(1);
    say("signalled low 3 times");
}
