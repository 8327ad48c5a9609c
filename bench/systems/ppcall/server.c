/* server.c (bench ppcall) — answers each call with label+1 and every message register plus one. */
#include "../common/bench_pd.h"

void init(void) {}

void notified(microkit_channel ch) { (void)ch; }

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    unsigned n = (unsigned)microkit_msginfo_get_count(msginfo);
    for (unsigned i = 0; i < n; i++)
        seL4_SetMR((int)i, seL4_GetMR((int)i) + 1);
    return microkit_msginfo_new(microkit_msginfo_get_label(msginfo) + 1, n);
}
