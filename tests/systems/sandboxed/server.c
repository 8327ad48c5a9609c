#include "../common/pd.h"

void init(void) { say("init"); }

void notified(microkit_channel ch) { say("notified by channel %u", ch); }

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    say("ppcall on channel %u, MR0 %U", ch, microkit_mr_get(0));
    microkit_mr_set(0, microkit_mr_get(0) + 1);
    return microkit_msginfo_new(microkit_msginfo_get_label(msginfo), 1);
}
