/* app: prints every variable the system description set, then uses them: reads the prefilled
 * config through config_vaddr, writes the DMA region, and talks to its child over the channel
 * whose id it was given; the helper reads what app wrote to the DMA region. */
#include <microkit.h>

#include "print.h"

/* Set before init (setvar). Each must be a data object of the image; the initial values show
 * that they were overwritten. */
uintptr_t config_vaddr = 1, config_size = 1;
uintptr_t dma_vaddr = 1, dma_paddr = 1;
uintptr_t uart_vaddr = 1, uart_paddr = 1;
seL4_Word uart_irq = 99, helper_channel = 99, helper_id = 99;

void init(void)
{
    show_hex("config_vaddr", config_vaddr);
    show_hex("config_size", config_size);
    show_hex("dma_vaddr", dma_vaddr);
    show_hex("dma_paddr (stand-in, dma has no phys_addr)", dma_paddr);
    show_hex("uart_vaddr", uart_vaddr);
    show_hex("uart_paddr", uart_paddr);
    show_dec("uart_irq", uart_irq);
    show_dec("helper_channel", helper_channel);
    show_dec("helper_id", helper_id);

    microkit_dbg_puts("app: config says: ");
    const char *config = (const char *)config_vaddr;
    for (uintptr_t i = 0; i < config_size && config[i] && config[i] != '\n'; i++)
        microkit_dbg_putc(config[i]);
    microkit_dbg_puts("\n");

    const char msg[] = "written by app";
    char *dma = (char *)dma_vaddr;
    for (unsigned i = 0; i < sizeof msg; i++)
        dma[i] = msg[i];
    microkit_dbg_puts("app: irq channels: ");
    microkit_dbg_puts(microkit_irqs == 1ull << uart_irq ? "only uart_irq\n" : "wrong\n");
    microkit_dbg_puts("app: notifying the helper on helper_channel\n");
    microkit_notify((microkit_channel)helper_channel);
}

void notified(microkit_channel ch)
{
    microkit_dbg_puts("app: notified on channel ");
    dbgfmt_put_dec(ch);
    microkit_dbg_puts(ch == helper_channel ? " (helper_channel)\n" : "\n");
}
