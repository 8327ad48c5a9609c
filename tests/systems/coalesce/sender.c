#include "../common/pd.h"

void init(void)
{
    say("init");
    say("notify x3");
    microkit_notify(1);
    microkit_notify(1);
    microkit_notify(1);
    say("done");
}

void notified(microkit_channel ch)
{
    say("notified by channel %u, notify x2", ch);
    microkit_notify(1);
    microkit_notify(1);
    say("done");
}
