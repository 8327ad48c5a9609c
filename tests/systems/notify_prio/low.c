#include "../common/pd.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say("notified by channel %u", ch);
    if (ch == 4) {
        /* From inside a handler: high preempts us at once. */
        say("notify high");
        microkit_notify(6);
        say("back from notify high");
    }
}
