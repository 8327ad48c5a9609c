/* b.c (bench chain) — the middle of the chain: passes each call on to c, answers label+1 of c's. */
#include "../common/bench_pd.h"

void init(void) {}

void notified(microkit_channel ch) { (void)ch; }

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    microkit_msginfo r = microkit_ppcall(2, microkit_msginfo_new(microkit_msginfo_get_label(msginfo), 0));
    return microkit_msginfo_new(microkit_msginfo_get_label(r) + 1, 0);
}
