#include "../common/pd.h"

void init(void)
{
    say("ppcall server");
    microkit_ppcall(1, microkit_msginfo_new(1, 0));
    say("never here");
}

void notified(microkit_channel ch)
{
    say("notified by channel %u", ch);
}
