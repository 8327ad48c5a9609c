#include "../common/pd.h"

void init(void)
{
    say("notify bob");
    microkit_notify(1);
}

void notified(microkit_channel ch) { say("notified by channel %u", ch); }
