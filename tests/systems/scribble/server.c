#include "../common/pd.h"

void init(void) { say("init"); }

void notified(microkit_channel ch) { say("notified by channel %u", ch); }

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    seL4_Word sum = 0;
    for (unsigned i = 0; i < microkit_msginfo_get_count(msginfo); i++)
        sum += microkit_mr_get((seL4_Uint8)i) * (i + 1);
    say("ppcall on channel %u: label %U, checksum %U", ch, microkit_msginfo_get_label(msginfo), sum);
    microkit_mr_set(0, sum);
    return microkit_msginfo_new(7, 1);
}
