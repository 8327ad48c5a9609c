#include "../common/pd.h"

static seL4_Word served;

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
    served++;
    say("ppcall on channel %u, label %U; notify mid", ch, microkit_msginfo_get_label(msginfo));
    microkit_notify(3);
    say("back from notify mid, reply %U", served);
    microkit_mr_set(0, served);
    return microkit_msginfo_new(0x77, 1);
}
