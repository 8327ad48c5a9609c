#include "../common/pd.h"

void init(void)
{
    say("init");
    /* The channel allows a ppcall only from client's end. */
    microkit_msginfo m = microkit_ppcall(2, microkit_msginfo_new(1, 0));
    say("ppcall 2 returned label %U count %U", microkit_msginfo_get_label(m),
        (seL4_Word)microkit_msginfo_get_count(m));
}

void notified(microkit_channel ch)
{
    say("notified by channel %u", ch);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    say("ppcall on channel %u: label %U count %U, MR119 %x", ch, microkit_msginfo_get_label(msginfo),
        (seL4_Word)microkit_msginfo_get_count(msginfo), microkit_mr_get(119));
    return microkit_msginfo_new(10, 0);
}
