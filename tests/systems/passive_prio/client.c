#include "../common/pd.h"

void init(void)
{
    say("init, ppcall server");
    microkit_msginfo r = microkit_ppcall(1, microkit_msginfo_new(microkit_name[0], 0));
    say("reply label %x, MR0 %U", microkit_msginfo_get_label(r), microkit_mr_get(0));
}

void notified(microkit_channel ch)
{
    say("notified by channel %u", ch);
}
