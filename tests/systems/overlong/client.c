#include "../common/pd.h"

void init(void)
{
    for (seL4_Word r = 0; r < seL4_MsgMaxLength; r++)
        microkit_mr_set((seL4_Uint8)r, 0x1000 + r);
    say("ppcall label 0x77 count 127");
    microkit_msginfo reply = microkit_ppcall(0, microkit_msginfo_new(0x77, 127));
    seL4_Word count = microkit_msginfo_get_count(reply);
    bool ok = count <= seL4_MsgMaxLength;
    for (seL4_Word r = 0; ok && r < count; r++)
        ok = microkit_mr_get((seL4_Uint8)r) == 0x2000 + r;
    say("reply label %x count %U, MRs %s", microkit_msginfo_get_label(reply), count, ok ? "ok" : "WRONG");
}

void notified(microkit_channel ch)
{
    say("unexpected notification on channel %u", ch);
}
