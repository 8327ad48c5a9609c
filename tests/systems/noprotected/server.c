#include "../common/pd.h"

void init(void)
{
    say("init, no protected()");
}

void notified(microkit_channel ch)
{
    say("notified by channel %u", ch);
}
