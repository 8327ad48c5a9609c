#include "../common/pd.h"

void init(void)
{
    microkit_mr_set(0, 41);
    microkit_msginfo r = microkit_ppcall(1, microkit_msginfo_new(3, 1));
    say("ppcall: label %U, MR0 %U", (seL4_Word)microkit_msginfo_get_label(r), (seL4_Word)microkit_mr_get(0));
}

void notified(microkit_channel ch) { say("notified by channel %u", ch); }
