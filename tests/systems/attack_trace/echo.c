#include "../common/pd.h"

void init(void) {}

void notified(microkit_channel ch) { say("notified by channel %u", ch); }

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    return msginfo;
}
