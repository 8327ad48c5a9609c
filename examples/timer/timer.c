/* A timer driver: serves "now" and "notify me after N ms" to its client through ppcalls, and
 * programs the device with the earliest pending timeout. Register map in docs/devices.md. */
#include <microkit.h>
#include <stdint.h>

#include "timer_protocol.h"

#define REG_NOW 0      /* read: ns since boot */
#define REG_DEADLINE 1 /* write: absolute ns, arms a one-shot interrupt */
#define REG_STATUS 2   /* bit 0: fired; write 0 to clear */
#define IRQ_CH 0
#define CLIENT_CH 1
#define MAX_TIMEOUTS 8

uintptr_t timer_base; /* set by the system description (setvar_vaddr) */

static uint64_t pending[MAX_TIMEOUTS]; /* absolute deadlines, 0 = free */

static volatile uint64_t *regs(void) { return (volatile uint64_t *)timer_base; }

static void program(void)
{
    uint64_t next = 0;
    for (int i = 0; i < MAX_TIMEOUTS; i++)
        if (pending[i] && (!next || pending[i] < next))
            next = pending[i];
    if (next)
        regs()[REG_DEADLINE] = next;
}

void init(void) { microkit_dbg_puts("timer: ready\n"); }

void notified(microkit_channel ch)
{
    if (ch != IRQ_CH)
        return;
    uint64_t now = regs()[REG_NOW];
    regs()[REG_STATUS] = 0;
    int expired = 0;
    for (int i = 0; i < MAX_TIMEOUTS; i++)
        if (pending[i] && pending[i] <= now) {
            pending[i] = 0;
            expired++;
        }
    microkit_irq_ack(IRQ_CH);
    program();
    if (expired)
        microkit_notify(CLIENT_CH);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    uint64_t now = regs()[REG_NOW];
    switch (microkit_msginfo_get_label(msginfo)) {
    case TIMER_NOW:
        microkit_mr_set(0, now);
        return microkit_msginfo_new(TIMER_OK, 1);
    case TIMER_AFTER:
        for (int i = 0; i < MAX_TIMEOUTS; i++)
            if (!pending[i]) {
                pending[i] = now + microkit_mr_get(0) * 1000000u;
                program();
                return microkit_msginfo_new(TIMER_OK, 0);
            }
        return microkit_msginfo_new(TIMER_FULL, 0);
    default:
        return microkit_msginfo_new(TIMER_BAD, 0);
    }
}
