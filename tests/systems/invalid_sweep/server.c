#include "../common/pd.h"

void init(void) { say("init"); }

void notified(microkit_channel ch) { say("notified by channel %u", ch); }

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    say("ppcall on channel %u: label %U", ch, microkit_msginfo_get_label(msginfo));
    return microkit_msginfo_new(0, 0);
}
