#include "../common/pd.h"

static unsigned n;

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say("notified by channel %u (%u)", ch, ++n);
    if (n < 3)
        microkit_notify(1);
}
