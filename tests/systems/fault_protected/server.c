#include "../common/pd.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say("notified by channel %u", ch);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)msginfo;
    say("ppcall on channel %u, crashing", ch);
    crash();
    say("still alive");
    return microkit_msginfo_new(0, 0);
}
