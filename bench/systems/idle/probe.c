/* probe.c (bench idle) — runs last (lowest priority): wakes idle1 once, says BENCH_READY, then
 * blocks forever in a ppcall whose server exits. */
#include "../common/bench_pd.h"

void init(void)
{
    microkit_notify(2);
    microkit_dbg_puts("BENCH_READY\n");
    microkit_ppcall(1, microkit_msginfo_new(0, 0));
    bench_error("idle: the ppcall to the exiting server returned");
}

void notified(microkit_channel ch) { (void)ch; }
