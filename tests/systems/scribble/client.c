#include "../common/pd.h"

static void call(void)
{
    for (unsigned i = 0; i < 120; i++)
        microkit_mr_set((seL4_Uint8)i, 1000 + i);
    microkit_msginfo r = microkit_ppcall(1, microkit_msginfo_new(5, 120));
    say("reply label %U, checksum %U", microkit_msginfo_get_label(r), microkit_mr_get(0));
}

void init(void) { call(); }

void notified(microkit_channel ch)
{
    say("notified by channel %u, ppcall server again", ch);
    call();
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    say("ppcall on channel %u", ch);
    return msginfo;
}
