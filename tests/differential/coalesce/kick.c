/* kick: starts the two rounds from its init (the lowest priority). */
#include "out.h"

void init(void)
{
    say("init, round 1");
    microkit_notify(1);
    say("round 2");
    microkit_notify(1);
    say("done");
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
