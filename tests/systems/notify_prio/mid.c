#include "../common/pd.h"

void init(void)
{
    say("init");
    say("notify high");
    microkit_notify(1);
    say("back from notify high");
    say("notify low");
    microkit_notify(3);
    say("back from notify low");
}

void notified(microkit_channel ch)
{
    say("notified by channel %u", ch);
}
