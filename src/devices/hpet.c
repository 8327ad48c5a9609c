/* hpet.c — a High Precision Event Timer (the IA-PC HPET Specification 1.0a's register set) at the
 * PC's usual 0xfed00000, as sDDF's tsc_hpet timer driver uses it: a 64-bit main counter at 100 MHz
 * (COUNTER_CLK_PERIOD 10 ns) and three comparators, timer 0 64-bit and periodic-capable.
 *
 * Registers (64-bit, at the region that maps them):
 *   0x000 GCAP_ID    read-only: revision 1, 3 timers, 64-bit counter, legacy-route capable,
 *                    vendor 0x8086, period 10,000,000 fs
 *   0x010 GEN_CONF   bit 0 ENABLE_CNF (the counter runs), bit 1 LEG_RT_CNF (timer 0 interrupts on
 *                    IOAPIC pin 2, timer 1 on pin 8)
 *   0x020 GINTR_STA  bit N: timer N's level-triggered interrupt is active
 *   0x0f0 MAIN_CNT   the counter (written while halted, it starts from there)
 *   0x100 + 0x20*N   Tn_CONF_CAP: bit 1 level-triggered, bit 2 interrupt enabled, bit 3 periodic,
 *                    bit 4 periodic-capable, bit 5 64-bit, bits 9-13 the IOAPIC pin (without
 *                    legacy routing; pins 20-23 can be chosen, bits 32-63 say so)
 *   0x108 + 0x20*N   Tn_COMPARATOR: the timer fires when the counter reaches it; periodic, it then
 *                    advances by the value last written to it
 * By default the registers are trapped (docs/devices.md): each load and store of the driver is
 * served as it is made, 32-bit halves and all, so MAIN_CNT reads the counter of that moment and a
 * write of 1 clears a GINTR_STA bit. With `--device hpet,access=sync` they are the region's shared
 * memory instead: what a PD wrote is taken, and the counter and status refreshed, when a PD that
 * maps them enters the kernel; a write of the value a register already holds cannot be seen then,
 * so a level interrupt's status bit is cleared by writing it 0, and a comparator is re-armed by a
 * new value. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/device.h"

enum { GCAP_ID = 0x000, GEN_CONF = 0x010, GINTR_STA = 0x020, MAIN_CNT = 0x0f0, TIMER0 = 0x100 };
#define TIMER_CONF(n) (TIMER0 + 0x20u * (n))
#define TIMER_CMP(n) (TIMER0 + 0x20u * (n) + 8)
#define NTIMERS 3
#define PERIOD_FS 10000000ull /* 10 ns */
#define NS_PER_TICK 10u
#define ENABLE_CNF 1ull
#define LEG_RT_CNF 2ull
#define TN_INT_TYPE (1ull << 1)
#define TN_INT_ENB (1ull << 2)
#define TN_TYPE_PERIODIC (1ull << 3)
#define TN_PER_INT_CAP (1ull << 4)
#define TN_SIZE_CAP (1ull << 5)
#define TN_VAL_SET (1ull << 6)
#define TN_32MODE (1ull << 8)
#define TN_ROUTE_SHIFT 9
#define TN_FSB_EN (1ull << 14)
#define TN_WRITABLE (TN_INT_TYPE | TN_INT_ENB | TN_TYPE_PERIODIC | TN_VAL_SET | TN_32MODE | (31ull << TN_ROUTE_SHIFT) | TN_FSB_EN)
#define ROUTE_CAP (0xfull << 20) /* IOAPIC pins 20-23 */

/* The device's interrupt lines (boards.c): legacy pins 2 and 8, then the routable pins 20-23. */
enum { LINE_PIN2 = 0, LINE_PIN8 = 1, LINE_PIN20 = 2 };

struct hpet_timer {
    uint64_t conf, comparator, period;
    bool fired;         /* a one-shot comparator that has fired, until it is written again */
    bool level_active;  /* GINTR_STA bit */
};

struct hpet {
    uint64_t gen_conf;
    uint64_t base_ticks, base_ns; /* the counter was base_ticks at base_ns (while it runs) */
    uint64_t halted_ticks;        /* the counter while halted */
    struct hpet_timer t[NTIMERS];
    /* what was last published in the registers, to see what a PD wrote since */
    uint64_t shown_gen_conf, shown_sta, shown_cnt, shown_conf[NTIMERS], shown_cmp[NTIMERS];
};

static uint64_t cap_id(void)
{
    return 1u | (uint64_t)(NTIMERS - 1) << 8 | 1ull << 13 | 1ull << 15 | 0x8086ull << 16 | PERIOD_FS << 32;
}

static uint64_t timer_caps(unsigned n)
{
    return (n == 0 ? TN_PER_INT_CAP | TN_SIZE_CAP : 0) | ROUTE_CAP << 32;
}

static uint64_t counter(const struct hpet *h, uint64_t now)
{
    if (!(h->gen_conf & ENABLE_CNF))
        return h->halted_ticks;
    return h->base_ticks + (now > h->base_ns ? (now - h->base_ns) / NS_PER_TICK : 0);
}

static int hpet_create(struct device *d, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    d->state = calloc(1, sizeof(struct hpet));
    d->trap = true;
    return d->state ? 0 : -1;
}

static int hpet_option(struct device *d, const char *key, const char *value, char *err, size_t errlen)
{
    if (!strcmp(key, "access") && (!strcmp(value, "trap") || !strcmp(value, "sync"))) {
        d->trap = !strcmp(value, "trap");
        return 0;
    }
    snprintf(err, errlen, "%s (%s) takes %s, not '%s=%s'", d->name, d->model->name, d->model->options, key, value);
    return -1;
}

static void publish(struct device *d, uint64_t now)
{
    struct hpet *h = d->state;
    uint64_t sta = 0;
    for (unsigned n = 0; n < NTIMERS; n++)
        sta |= (uint64_t)h->t[n].level_active << n;
    h->shown_gen_conf = h->gen_conf;
    h->shown_sta = sta;
    h->shown_cnt = counter(h, now);
    device_set_reg64(d, GCAP_ID, cap_id());
    device_set_reg64(d, GEN_CONF, h->shown_gen_conf);
    device_set_reg64(d, GINTR_STA, sta);
    device_set_reg64(d, MAIN_CNT, h->shown_cnt);
    for (unsigned n = 0; n < NTIMERS; n++) {
        h->shown_conf[n] = h->t[n].conf | timer_caps(n);
        h->shown_cmp[n] = h->t[n].comparator;
        device_set_reg64(d, TIMER_CONF(n), h->shown_conf[n]);
        device_set_reg64(d, TIMER_CMP(n), h->shown_cmp[n]);
    }
}

static void hpet_start(struct device *d)
{
    struct hpet *h = d->state;
    for (unsigned n = 0; n < NTIMERS; n++) {
        h->t[n].conf = 0;
        h->t[n].comparator = ~0ull; /* the reset value: all ones */
        h->t[n].fired = true;       /* nothing armed */
    }
    if (d->mmio && d->mmio_size < TIMER_CMP(NTIMERS - 1) + 8)
        d->mmio = NULL; /* a region too small for the registers: nothing to serve */
    else if (d->mmio && !d->trap)
        publish(d, 0);
}

/* The line timer N interrupts on now, or -1 (FSB delivery, or a pin the board has no line for). */
static int line_of(const struct hpet *h, unsigned n)
{
    if (h->t[n].conf & TN_FSB_EN)
        return -1;
    if ((h->gen_conf & LEG_RT_CNF) && n < 2)
        return n == 0 ? LINE_PIN2 : LINE_PIN8;
    unsigned pin = (unsigned)(h->t[n].conf >> TN_ROUTE_SHIFT) & 31;
    return pin >= 20 && pin <= 23 ? (int)(LINE_PIN20 + pin - 20) : -1;
}

static void update_level(struct device *d, unsigned n)
{
    struct hpet *h = d->state;
    int line = line_of(h, n);
    if (line >= 0 && (unsigned)line < d->nirqs && (h->t[n].conf & TN_INT_TYPE))
        d->host->set_irq(d->host->ctx, d, (unsigned)line, h->t[n].level_active && (h->t[n].conf & TN_INT_ENB));
}

/* ---- what a write of a register does (both ways of access) ---- */
static void write_gen_conf(struct hpet *h, uint64_t conf, uint64_t now)
{
    conf &= ENABLE_CNF | LEG_RT_CNF;
    if ((conf & ENABLE_CNF) && !(h->gen_conf & ENABLE_CNF)) { /* starts from where it stood */
        h->base_ticks = h->halted_ticks;
        h->base_ns = now;
    } else if (!(conf & ENABLE_CNF) && (h->gen_conf & ENABLE_CNF)) {
        h->halted_ticks = counter(h, now);
    }
    h->gen_conf = conf;
}

static void write_counter(struct hpet *h, uint64_t cnt, uint64_t now)
{
    h->halted_ticks = cnt;
    h->base_ticks = cnt;
    h->base_ns = now;
}

static void write_timer_conf(struct hpet *h, unsigned n, uint64_t v)
{
    h->t[n].conf = v & TN_WRITABLE & (n == 0 ? ~0ull : ~TN_TYPE_PERIODIC);
}

static void write_comparator(struct hpet *h, unsigned n, uint64_t cmp)
{
    struct hpet_timer *t = &h->t[n];
    if ((t->conf & TN_TYPE_PERIODIC) && !(t->conf & TN_VAL_SET))
        t->period = cmp;
    if (t->conf & TN_32MODE)
        cmp &= 0xffffffffu;
    t->comparator = cmp;
    t->fired = false;
    t->conf &= ~TN_VAL_SET;
}

static void hpet_sync(struct device *d)
{
    struct hpet *h = d->state;
    if (!d->mmio || d->trap)
        return;
    uint64_t now = d->host->now_ns(d->host->ctx);
    /* what the PD wrote since the last look */
    uint64_t cnt = device_reg64(d, MAIN_CNT);
    if (cnt != h->shown_cnt)
        write_counter(h, cnt, now);
    uint64_t conf = device_reg64(d, GEN_CONF) & (ENABLE_CNF | LEG_RT_CNF);
    if (conf != h->shown_gen_conf)
        write_gen_conf(h, conf, now);
    uint64_t sta = device_reg64(d, GINTR_STA);
    for (unsigned n = 0; n < NTIMERS; n++) {
        struct hpet_timer *t = &h->t[n];
        if ((h->shown_sta >> n & 1) && !(sta >> n & 1))
            t->level_active = false; /* cleared (see the top of the file) */
        uint64_t tconf = device_reg64(d, TIMER_CONF(n));
        if (tconf != h->shown_conf[n])
            write_timer_conf(h, n, tconf);
        uint64_t cmp = device_reg64(d, TIMER_CMP(n));
        if (cmp != h->shown_cmp[n])
            write_comparator(h, n, cmp);
        update_level(d, n);
    }
    publish(d, now);
}

/* ---- trapped access: each load and store served as it is made ---- */
static uint64_t read64(struct device *d, uint64_t reg, uint64_t now)
{
    struct hpet *h = d->state;
    if (reg == GCAP_ID)
        return cap_id();
    if (reg == GEN_CONF)
        return h->gen_conf;
    if (reg == GINTR_STA) {
        uint64_t sta = 0;
        for (unsigned n = 0; n < NTIMERS; n++)
            sta |= (uint64_t)h->t[n].level_active << n;
        return sta;
    }
    if (reg == MAIN_CNT)
        return counter(h, now);
    for (unsigned n = 0; n < NTIMERS; n++) {
        if (reg == TIMER_CONF(n))
            return h->t[n].conf | timer_caps(n);
        if (reg == TIMER_CMP(n))
            return h->t[n].comparator;
    }
    return 0; /* reserved, FSB routes */
}

static void write64(struct device *d, uint64_t reg, uint64_t v, uint64_t now)
{
    struct hpet *h = d->state;
    if (reg == GEN_CONF) {
        write_gen_conf(h, v, now);
    } else if (reg == GINTR_STA) { /* write 1 to clear */
        for (unsigned n = 0; n < NTIMERS; n++)
            if (v >> n & 1) {
                h->t[n].level_active = false;
                update_level(d, n);
            }
    } else if (reg == MAIN_CNT) {
        write_counter(h, v, now);
    } else {
        for (unsigned n = 0; n < NTIMERS; n++) {
            if (reg == TIMER_CONF(n)) {
                write_timer_conf(h, n, v);
                update_level(d, n);
            } else if (reg == TIMER_CMP(n)) {
                write_comparator(h, n, v);
            }
        }
    }
}

static uint64_t hpet_mmio_read(struct device *d, uint64_t offset, unsigned bytes)
{
    uint64_t reg = offset & ~7ull, shift = 8 * (offset & 7);
    uint64_t v = read64(d, reg, d->host->now_ns(d->host->ctx)) >> shift;
    return bytes == 8 ? v : v & ((1ull << (8 * bytes)) - 1);
}

/* A 32-bit (or narrower) write changes its part of the 64-bit register, as the specification
 * allows for 32-bit software. */
static void hpet_mmio_write(struct device *d, uint64_t offset, unsigned bytes, uint64_t value)
{
    uint64_t now = d->host->now_ns(d->host->ctx);
    uint64_t reg = offset & ~7ull, shift = 8 * (offset & 7);
    uint64_t v = value;
    if (bytes < 8) {
        uint64_t mask = ((1ull << (8 * bytes)) - 1) << shift;
        uint64_t old = reg == GINTR_STA ? 0 : read64(d, reg, now);
        v = (old & ~mask) | (value << shift & mask);
    }
    write64(d, reg, v, now);
}

/* The ns at which timer N fires, UINT64_MAX for never. */
static uint64_t fires_at(const struct hpet *h, unsigned n)
{
    const struct hpet_timer *t = &h->t[n];
    if (!(h->gen_conf & ENABLE_CNF) || !(t->conf & TN_INT_ENB) || t->fired)
        return UINT64_MAX;
    if (t->comparator <= h->base_ticks)
        return h->base_ns;
    uint64_t ticks = t->comparator - h->base_ticks;
    if (ticks > (UINT64_MAX - h->base_ns) / NS_PER_TICK)
        return UINT64_MAX;
    return h->base_ns + ticks * NS_PER_TICK;
}

static uint64_t hpet_next_event(struct device *d)
{
    struct hpet *h = d->state;
    uint64_t next = UINT64_MAX;
    for (unsigned n = 0; n < NTIMERS; n++) {
        uint64_t at = fires_at(h, n);
        if (at < next)
            next = at;
    }
    return next;
}

static void hpet_tick(struct device *d, uint64_t now)
{
    struct hpet *h = d->state;
    for (unsigned n = 0; n < NTIMERS; n++) {
        struct hpet_timer *t = &h->t[n];
        if (fires_at(h, n) > now)
            continue;
        if ((t->conf & TN_TYPE_PERIODIC) && t->period) {
            while (t->comparator <= counter(h, now))
                t->comparator += t->period;
        } else {
            t->fired = true;
        }
        int line = line_of(h, n);
        if (t->conf & TN_INT_TYPE) {
            t->level_active = true;
            update_level(d, n);
        } else if (line >= 0 && (unsigned)line < d->nirqs) {
            d->host->raise_irq(d->host->ctx, d, (unsigned)line);
        }
    }
    /* only what the device changed: a PD may be writing the other registers right now */
    if (d->mmio && !d->trap) {
        uint64_t sta = 0;
        for (unsigned n = 0; n < NTIMERS; n++) {
            sta |= (uint64_t)h->t[n].level_active << n;
            if ((h->t[n].conf & TN_TYPE_PERIODIC) && h->t[n].comparator != h->shown_cmp[n]) {
                h->shown_cmp[n] = h->t[n].comparator;
                device_set_reg64(d, TIMER_CMP(n), h->shown_cmp[n]);
            }
        }
        h->shown_sta = sta;
        device_set_reg64(d, GINTR_STA, sta);
    }
}

static bool hpet_busy(struct device *d) { return hpet_next_event(d) != UINT64_MAX; }

static void hpet_destroy(struct device *d) { free(d->state); }

const struct device_model device_hpet = {
    .name = "hpet",
    .summary = "an HPET: 100 MHz counter, 3 comparators (IA-PC HPET 1.0a)",
    .options = "access=trap (default: each access served as it is made) or access=sync (at kernel entries)",
    .create = hpet_create,
    .option = hpet_option,
    .mmio_read = hpet_mmio_read,
    .mmio_write = hpet_mmio_write,
    .start = hpet_start,
    .sync = hpet_sync,
    .next_event = hpet_next_event,
    .tick = hpet_tick,
    .busy = hpet_busy,
    .destroy = hpet_destroy,
};
