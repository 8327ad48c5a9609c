/* probe.c (bench idle) — runs last (lowest priority): wakes idle1 once, says BENCH_READY, then
 * waits in receive for an IRQ the bench raises only long after it has measured. */
#include "../common/bench_pd.h"

void init(void)
{
    microkit_notify(2);
    microkit_dbg_puts("BENCH_READY\n");
}

void notified(microkit_channel ch) { (void)ch; }
