/* pd.c (bench boot63) — a minimal PD: init() notifies channel 1 (its successor, when it has one)
 * and returns; the system is quiescent once all 63 have run init(). */
#include <microkit.h>

void init(void)
{
    if (microkit_notifications & (1ull << 1))
        microkit_notify(1);
}

void notified(microkit_channel ch) { (void)ch; }
