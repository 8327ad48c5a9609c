/* client: told by the driver that something happened. */
#include <microkit.h>

#define DRIVER 1

static unsigned events;

void init(void)
{
    microkit_dbg_puts("client: init\n");
}

void notified(microkit_channel ch)
{
    if (ch != DRIVER)
        return;
    events++;
    microkit_dbg_puts("client: event ");
    microkit_dbg_put32(events);
    microkit_dbg_puts(" from the driver\n");
}
