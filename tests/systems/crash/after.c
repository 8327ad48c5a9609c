#include "../common/pd.h"

void init(void)
{
    say("init");
    say("notify first");
    microkit_notify(1);
    say("back from notify first");
}

void notified(microkit_channel ch)
{
    say("notified by channel %u", ch);
}
