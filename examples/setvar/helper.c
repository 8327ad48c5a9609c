/* helper: the app's child. It is told its end of the channel to the app, and where it sees the DMA
 * region (read-only here) that the app writes. */
#include <microkit.h>

#include "print.h"

seL4_Word app_channel = 99;
uintptr_t dma_vaddr = 1;

void init(void)
{
    show_dec("app_channel", app_channel);
    show_hex("dma_vaddr", dma_vaddr);
}

void notified(microkit_channel ch)
{
    microkit_dbg_puts("helper: notified on channel ");
    dbgfmt_put_dec(ch);
    microkit_dbg_puts(ch == app_channel ? " (app_channel)\n" : "\n");
    microkit_dbg_puts("helper: dma says: ");
    microkit_dbg_puts((const char *)dma_vaddr);
    microkit_dbg_puts("\n");
    microkit_notify((microkit_channel)app_channel);
}
