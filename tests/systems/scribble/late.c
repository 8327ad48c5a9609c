#include "../common/pd.h"

void init(void)
{
    say("notify client");
    microkit_notify(1);
    say("done");
}

void notified(microkit_channel ch) { say("notified by channel %u", ch); }
