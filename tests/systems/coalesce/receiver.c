#include "../common/pd.h"

static unsigned calls;

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    calls++;
    say("notified by channel %u (call %u)", ch, calls);
    if (calls == 1) {
        say("notify sender");
        microkit_notify(1);
        say("back from notify sender");
    }
}
