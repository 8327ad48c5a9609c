/* Busy for tens of milliseconds in init, far past a 200 us budget. */
#include <microkit.h>

void init(void)
{
    volatile seL4_Word x = 0;
    for (seL4_Word i = 0; i < 50000000; i++)
        x += i;
    microkit_dbg_puts("slow: done\n");
}

void notified(microkit_channel ch) { (void)ch; }
