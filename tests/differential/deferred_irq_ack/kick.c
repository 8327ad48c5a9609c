/* kick: starts the three rounds from its init (the lowest priority). */
#include "out.h"

void init(void)
{
    for (int round = 1; round <= 3; round++) {
        say_dec("round", round);
        microkit_notify(1);
    }
    say("done");
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
