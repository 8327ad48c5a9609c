/* Prints each IRQ it takes and acknowledges it. */
#include <microkit.h>

void init(void) { microkit_dbg_puts("driver: init\n"); }

void notified(microkit_channel ch)
{
    microkit_dbg_puts("driver: irq on channel ");
    microkit_dbg_put32(ch);
    microkit_dbg_puts("\n");
    microkit_irq_ack(ch);
}
