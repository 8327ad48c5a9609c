/* monitor_state.c — what each PD is doing, in words, for the report at --timeout and of a stuck
 * system: which handler it is in (the PD says so on its control page at each handler's start and
 * end: used for wording only), whether it holds its CPU (running: spinning, or computing for a
 * long time), waits for it, or is blocked, and on whom. The scheduler's state comes from the
 * scheduler page under no lock: a report, not a decision. */
#include <stdio.h>
#include <string.h>

#include "monitor/monitor.h"

/* "notified(3)" for the handler word of PD i (kobj.h hk_ctl.handler), "" between handlers. */
static const char *handler_text(unsigned i, char *buf, size_t len)
{
    uint32_t h = atomic_load(&M.pd[i].ctl->handler);
    unsigned id = (h >> 8) % HK_NCH;
    switch (h & 0xff) {
    case HK_TR_INIT: snprintf(buf, len, "init"); break;
    case HK_TR_NOTIFIED: snprintf(buf, len, "notified(%u)", id); break;
    case HK_TR_PROTECTED: snprintf(buf, len, "protected(%u)", id); break;
    case HK_TR_FAULT: snprintf(buf, len, "fault(child %u)", id); break;
    default: buf[0] = 0; break;
    }
    return buf;
}

const char *state_text(unsigned i, char *buf, size_t len)
{
    struct hk_pd_sched *p = &M.sched->pd[i];
    uint32_t cpu = M.cpu_of[i];
    uint32_t st = hk_state(M.sched, cpu, (int)i);
    int holder = hk_current(M.sched, cpu);
    char h[48];
    handler_text(i, h, sizeof h);
    switch (st) {
    case HK_ST_CALL: {
        int callee = atomic_load(&p->call_to);
        snprintf(buf, len, "%s%sblocked in a ppcall on channel %u to %s", h, *h ? ": " : "", p->call_ch,
                 callee >= 0 && (unsigned)callee < M.npds ? pd_name(callee) : "?");
        return buf;
    }
    case HK_ST_INIT:
    case HK_ST_RUNNABLE:
        if (holder == (int)i && *h)
            snprintf(buf, len, "running %s, which has not returned: spinning, or never entering the kernel", h);
        else if (holder == (int)i)
            snprintf(buf, len, "running, between handlers");
        else if (st == HK_ST_INIT && !*h)
            snprintf(buf, len, "waiting for the CPU to start init%s%s", holder >= 0 && (unsigned)holder < M.npds ? ", held by " : "",
                     holder >= 0 && (unsigned)holder < M.npds ? pd_name(holder) : "");
        else
            snprintf(buf, len, "runnable%s%s, waiting for the CPU%s%s", *h ? " in " : "", h,
                     holder >= 0 && (unsigned)holder < M.npds ? ", held by " : "",
                     holder >= 0 && (unsigned)holder < M.npds ? pd_name(holder) : "");
        return buf;
    case HK_ST_FAULTED:
        if (M.parent_of[i] < 0)
            return NULL; /* reported, and its process ends: not busy */
        snprintf(buf, len, "faulted%s%s, waiting for %s's fault()", *h ? " in " : "", h, pd_name(M.parent_of[i]));
        return buf;
    case HK_ST_STOPPED: return "stopped by its parent";
    default: return NULL; /* waiting in receive (idle) or gone: not busy */
    }
}

void report_busy(const char *why)
{
    char buf[200];
    bool any = false;
    for (unsigned i = 0; i < M.npds && !any; i++)
        any = state_text(i, buf, sizeof buf) != NULL;
    if (!any && watch_report_busy(why)) /* none busy: what keeps the run from ending, instead */
        return;
    fprintf(stderr, "hostkit: %s; still busy:", why);
    any = false;
    for (unsigned i = 0; i < M.npds; i++) {
        const char *st = state_text(i, buf, sizeof buf);
        if (st) {
            fprintf(stderr, "%s %s (%s)", any ? "," : "", pd_name((int)i), st);
            any = true;
        }
    }
    fputs(any ? "\n" : " none\n", stderr);
}
