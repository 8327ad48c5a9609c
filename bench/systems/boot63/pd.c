/* pd.c (bench boot63) — a minimal PD: init() notifies channel 1 (its successor, when it has one)
 * and returns; the system is quiescent once all 63 have run init(). The PD without a predecessor
 * (channel 2), pd01, has the lowest priority and runs init() last: it then prints BENCH_BOOTED,
 * the line whose arrival bench.c times on seL4 in QEMU. */
#include <microkit.h>

void init(void)
{
    if (microkit_notifications & (1ull << 1))
        microkit_notify(1);
    if (!(microkit_notifications & (1ull << 2)))
        microkit_dbg_puts("BENCH_BOOTED\n");
}

void notified(microkit_channel ch) { (void)ch; }
