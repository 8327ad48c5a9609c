/* sender: round 1 defers a notify to b and then one to c; round 2 defers one to b. */
#include "out.h"

static int round;

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    (void)ch;
    round++;
    if (round == 1) {
        say("round 1: deferring to b, then to c");
        microkit_deferred_notify(1);
        microkit_deferred_notify(2);
    } else {
        say("round 2: deferring to b");
        microkit_deferred_notify(1);
    }
    say("handler ends");
}
