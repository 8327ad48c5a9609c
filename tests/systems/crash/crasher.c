#include "../common/pd.h"

void init(void)
{
    say("about to crash");
    crash();
    say("still alive");
    microkit_notify(1);
}

void notified(microkit_channel ch)
{
    say("notified by channel %u", ch);
}
