/* idle.c (bench idle) — an ordinary idle PD: answers a notification on channel 2 with one on
 * channel 1, and otherwise waits in receive. */
#include <microkit.h>

void init(void) {}

void notified(microkit_channel ch)
{
    if (ch == 2)
        microkit_notify(1);
}
