#include "../common/pd.h"

void init(void)
{
    say("notify high");
    microkit_notify(3);
    say("done");
}

void notified(microkit_channel ch)
{
    say("notified by channel %u", ch);
}
