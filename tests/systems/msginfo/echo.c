#include "label.h"

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
    seL4_Word label = microkit_msginfo_get_label(msginfo), count = microkit_msginfo_get_count(msginfo);
    bool ok = true;
    for (seL4_Word r = 0; ok && r < count; r++)
        ok = microkit_mr_get((seL4_Uint8)r) == label + r;
    say("channel %u: label %x count %U, MRs %s", ch, label, count, ok ? "ok" : "WRONG");
    seL4_Word rl = reply_label(label), rc = reply_count(count);
    for (seL4_Word r = 0; r < rc; r++)
        microkit_mr_set((seL4_Uint8)r, rl - r);
    return microkit_msginfo_new(rl, rc);
}
