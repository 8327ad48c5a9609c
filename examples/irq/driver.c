/* driver: handles two interrupt lines. IRQ 33 (channel BUTTON_IRQ) is a button press, IRQ 34
 * (channel ALARM_IRQ) an alarm. Each one is acknowledged, so the line can fire again, and
 * reported to the client over a notification. Until acknowledged an IRQ stays masked. */
#include <microkit.h>

#define CLIENT 0
#define BUTTON_IRQ 5
#define ALARM_IRQ 6

static unsigned presses, alarms;

void init(void)
{
    microkit_dbg_puts("driver: init, waiting for interrupts\n");
}

void notified(microkit_channel ch)
{
    switch (ch) {
    case BUTTON_IRQ:
        presses++;
        microkit_dbg_puts("driver: button IRQ (press ");
        microkit_dbg_put32(presses);
        microkit_dbg_puts("), acknowledged\n");
        microkit_irq_ack(BUTTON_IRQ);
        microkit_notify(CLIENT);
        break;
    case ALARM_IRQ:
        alarms++;
        microkit_dbg_puts("driver: alarm IRQ (alarm ");
        microkit_dbg_put32(alarms);
        microkit_dbg_puts("), acknowledged when this handler returns\n");
        microkit_deferred_irq_ack(ALARM_IRQ);
        microkit_notify(CLIENT);
        break;
    default:
        microkit_dbg_puts("driver: unexpected notification\n");
        break;
    }
}
