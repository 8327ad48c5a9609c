#include "../common/pd.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say("notified by channel %u: notify x, then y", ch);
    microkit_notify(1);
    microkit_notify(2);
}
