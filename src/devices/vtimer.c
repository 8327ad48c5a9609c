/* vtimer.c — hostkit's virtual timer: a one-shot timer in host time, for drivers written for
 * hostkit (examples/timer). One page of 64-bit little-endian registers (docs/devices.md):
 *   0x00 NOW       read: ns since the system started, as of the PD's last kernel entry
 *   0x08 DEADLINE  write: an absolute time in ns (NOW's clock); a new value arms a one-shot
 *                  interrupt at that time, 0 disarms; the same value again does not re-arm
 *   0x10 STATUS    bit 0: the last armed deadline has fired (the PD clears it by writing 0)
 * and one interrupt line (the board's IRQ 120). The registers are the region's shared memory:
 * NOW is refreshed and DEADLINE taken whenever a PD mapping it enters the kernel (sync), as a
 * write reaches a device when the bus carries it. */
#include <stdint.h>
#include <stdlib.h>

#include "devices/device.h"

enum { REG_NOW = 0x00, REG_DEADLINE = 0x08, REG_STATUS = 0x10 };

struct vtimer {
    uint64_t seen;      /* the DEADLINE value last taken from the registers */
    uint64_t armed;     /* the deadline armed (ns), 0 when none */
    uint64_t fired;     /* the armed deadline that fired, 0 before it does */
};

static int vtimer_create(struct device *d, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    d->state = calloc(1, sizeof(struct vtimer));
    return d->state ? 0 : -1;
}

static void vtimer_start(struct device *d)
{
    if (d->mmio) {
        device_set_reg64(d, REG_NOW, 0);
        device_set_reg64(d, REG_DEADLINE, 0);
        device_set_reg64(d, REG_STATUS, 0);
    }
}

static void vtimer_sync(struct device *d)
{
    struct vtimer *t = d->state;
    if (!d->mmio)
        return;
    device_set_reg64(d, REG_NOW, d->host->now_ns(d->host->ctx));
    uint64_t deadline = device_reg64(d, REG_DEADLINE);
    if (deadline != t->seen) {
        t->seen = deadline;
        t->armed = deadline;
        t->fired = 0;
    }
}

static bool vtimer_busy(struct device *d)
{
    struct vtimer *t = d->state;
    return t->armed && t->armed != t->fired;
}

static uint64_t vtimer_next_event(struct device *d)
{
    struct vtimer *t = d->state;
    return vtimer_busy(d) ? t->armed : UINT64_MAX;
}

static void vtimer_tick(struct device *d, uint64_t now)
{
    struct vtimer *t = d->state;
    if (!vtimer_busy(d) || t->armed > now)
        return;
    t->fired = t->armed;
    if (d->mmio)
        device_set_reg64(d, REG_STATUS, device_reg64(d, REG_STATUS) | 1);
    if (d->nirqs)
        d->host->raise_irq(d->host->ctx, d, 0);
}

static void vtimer_destroy(struct device *d) { free(d->state); }

const struct device_model device_vtimer = {
    .name = "vtimer",
    .summary = "hostkit's virtual timer: NOW, DEADLINE, STATUS (docs/devices.md)",
    .create = vtimer_create,
    .start = vtimer_start,
    .sync = vtimer_sync,
    .next_event = vtimer_next_event,
    .tick = vtimer_tick,
    .busy = vtimer_busy,
    .destroy = vtimer_destroy,
};
