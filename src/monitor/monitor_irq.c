/* monitor_irq.c — when IRQs are due: those raised by --irq and by the control channel (--irq-stdin's
 * lines among its commands) at their time, and the device models' timers, with the timer that
 * wakes the monitor when the next one is due. Raising one is monitor_sched.c's
 * monitor_raise_irq(), as the devices do it too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>

#include "monitor/monitor.h"
#include "monitor/monitor_devices.h"

bool irqs_to_come(void)
{
    for (unsigned k = 0; k < M.nirqs; k++)
        if (!M.irqs[k].done)
            return true;
    return devices_busy();
}

/* ---- IRQs raised from the command line ---- */
/* SPEC (IRQ@SECONDS) as an event: 1, 0 when no <irq> matches, -1 when it is not IRQ@SECONDS. */
static int find_irq(const char *spec, struct irq_event *ev, char *what, size_t whatlen)
{
    const char *at = strrchr(spec, '@');
    char *end;
    if (!at || (ev->at = strtod(at + 1, &end), *end) || ev->at < 0)
        return -1;
    snprintf(what, whatlen, "%.*s", (int)(at - spec), spec);
    const char *colon = strchr(what, ':');
    for (unsigned i = 0; i < M.npds; i++) {
        const struct sdf_pd *sp = &M.sys.pds[M.pd[i].sdf];
        for (size_t q = 0; q < sp->nirqs; q++) {
            const struct sdf_irq *irq = &sp->irqs[q];
            bool match = colon ? (!strncmp(what, sp->name, (size_t)(colon - what)) &&
                                  sp->name[colon - what] == 0 && strtoul(colon + 1, NULL, 0) == irq->id)
                               : (irq->kind == SDF_IRQ_CONVENTIONAL && strtoull(what, NULL, 0) == irq->irq);
            if (match) {
                ev->pd = (int)i;
                ev->id = irq->id;
                return 1;
            }
        }
    }
    return 0;
}

int parse_irq(const char *spec, struct irq_event *ev)
{
    char what[128];
    int rc = find_irq(spec, ev, what, sizeof what);
    if (rc < 0)
        fprintf(stderr, "hostkit: --irq '%s': expected IRQ@SECONDS\n", spec);
    else if (rc == 0)
        fprintf(stderr, "hostkit: --irq '%s': no <irq> in the system matches '%s'\n", spec, what);
    return rc > 0 ? 0 : -1;
}

/* An IRQ from the control channel: "IRQ" (now) or "IRQ@SECONDS" (after the start), as --irq
 * takes them. 0, or -1 with the reason in ERR. */
int irq_command(const char *spec_in, char *err, size_t len)
{
    char spec[160];
    snprintf(spec, sizeof spec, strchr(spec_in, '@') ? "%s" : "%s@0", spec_in);
    struct irq_event ev = {0};
    const char *at = strrchr(spec, '@');
    char *end;
    if ((ev.at = strtod(at + 1, &end), *end) || ev.at < 0) {
        snprintf(err, len, "'%s': expected IRQ or IRQ@SECONDS", spec_in);
        return -1;
    }
    char what[128];
    if (find_irq(spec, &ev, what, sizeof what) <= 0) {
        snprintf(err, len, "'%s': no <irq> in the system matches it", spec_in);
        return -1;
    }
    unsigned k;
    for (k = 0; k < M.nirqs && !M.irqs[k].done; k++) {
    }
    if (k == sizeof M.irqs / sizeof *M.irqs) {
        snprintf(err, len, "too many IRQs waiting");
        return -1;
    }
    M.irqs[k] = ev;
    if (k == M.nirqs)
        M.nirqs++;
    fire_irqs();
    return 0;
}

/* Raises the IRQs that are due (--irq's, the devices') and arms the timer for the next one. */
void fire_irqs(void)
{
    double now = run_seconds(), next = -1;
    uint64_t device_next = devices_tick((uint64_t)(now * 1e9));
    if (device_next != UINT64_MAX)
        next = (double)device_next / 1e9;
    for (unsigned k = 0; k < M.nirqs; k++) {
        struct irq_event *ev = &M.irqs[k];
        if (ev->done)
            continue;
        if (ev->at <= now) {
            ev->done = true;
            monitor_raise_irq(ev->pd, ev->id);
        } else if (next < 0 || ev->at < next) {
            next = ev->at;
        }
    }
    /* Start idle CPUs. A CPU the monitor holds waits for on_event(): a fault is being handled. */
    for (unsigned c = 0; c < M.ncpus; c++)
        if (hk_current(M.sched, c) < 0)
            monitor_reschedule(c, false);
    struct itimerspec its = {0};
    if (next >= 0) {
        double d = next > now ? next - now : 0;
        its.it_value.tv_sec = (time_t)d;
        its.it_value.tv_nsec = (long)((d - (double)(time_t)d) * 1e9) + 1;
    }
    timerfd_settime(M.irq_timer_fd, 0, &its, NULL);
}
