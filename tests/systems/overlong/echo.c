#include "../common/pd.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say("unexpected notification on channel %u", ch);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    seL4_Word count = microkit_msginfo_get_count(msginfo);
    bool ok = count <= seL4_MsgMaxLength;
    for (seL4_Word r = 0; ok && r < count; r++)
        ok = microkit_mr_get((seL4_Uint8)r) == 0x1000 + r;
    say("channel %u: label %x count %U, MRs %s", ch, microkit_msginfo_get_label(msginfo), count,
        ok ? "ok" : "WRONG");
    for (seL4_Word r = 0; r < seL4_MsgMaxLength; r++)
        microkit_mr_set((seL4_Uint8)r, 0x2000 + r);
    return microkit_msginfo_new(0x78, 125);
}
