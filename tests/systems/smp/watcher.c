/* Lower priority on the client's CPU: its init runs only once the client has nothing to do. */
#include <microkit.h>

void init(void) { microkit_dbg_puts("watcher: init\n"); }

void notified(microkit_channel ch)
{
    microkit_dbg_puts("watcher: notified on ");
    microkit_dbg_put32(ch);
    microkit_dbg_puts("\n");
}
