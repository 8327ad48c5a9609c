/* server: answers driver's call and notification. */
#include "../common/pd.h"

void init(void) { say("init"); }

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    say("ppcall on channel %u, label %U", ch, microkit_msginfo_get_label(msginfo));
    return microkit_msginfo_new(microkit_msginfo_get_label(msginfo) + 1, 0);
}

void notified(microkit_channel ch) { say("notified on channel %u", ch); }
