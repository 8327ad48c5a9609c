/* low: notifies the higher-priority PD from init, then says it continued. */
#include <microkit.h>

void init(void)
{
    microkit_dbg_puts("low: init, notifying high\n");
    microkit_notify(1);
    microkit_dbg_puts("low: after notify\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
