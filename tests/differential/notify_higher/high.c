/* high: prints the channel it was notified on. */
#include <microkit.h>

void init(void)
{
    microkit_dbg_puts("high: init\n");
}

void notified(microkit_channel ch)
{
    microkit_dbg_puts("high: notified on channel ");
    microkit_dbg_put32(ch);
    microkit_dbg_puts("\n");
}
