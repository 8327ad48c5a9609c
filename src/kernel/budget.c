/* budget.c — where a PD's handlers begin and end (libmicrokit's loop says so: a device the PD maps sees
 * the kernel entry, --trace draws the slice), and the warning, once, about a handler that runs
 * past its PD's budget (seL4 would throttle it;
 * hostkit only says so). The common case costs two TSC reads: time holding the CPU (waits
 * excluded) below the budget is fine. Wall time can also be the host's preemption, so a handler
 * over its budget by wall time only makes this PD measure its thread's CPU time from then on (a
 * system call per handler), and that decides. init runs once and is measured that way at once. */
#include <stdbool.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "kernel/host.h"
#include "kernel/cpu.h"

static uint64_t start_ticks, start_ns; /* for converting ticks to ns */
static uint64_t budget_ns;
static uint64_t begin_cpu_ns;
static bool budget_precise = true, budget_warned;

static uint64_t ticks_to_ns(uint64_t t)
{
    uint64_t dt = hk_ticks() - start_ticks, dn = hk_now_ns() - start_ns;
    return dt ? (uint64_t)((double)t * (double)dn / (double)dt) : t;
}

static uint64_t thread_cpu_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

uint64_t hk_budget_begin(void)
{
    hk_budget_waited_ticks = 0;
    hk_budget_running = true;
    if (budget_precise && !budget_warned)
        begin_cpu_ns = thread_cpu_ns();
    return hk_ticks();
}

void hk_budget_check(uint64_t begin, const char *handler, unsigned ch)
{
    hk_budget_running = false;
    if (budget_warned)
        return;
    uint64_t used = hk_ticks() - begin - hk_budget_waited_ticks;
    /* A TSC runs at 0.5 GHz or more, so fewer ticks than half the budget in ns is surely within it. */
    if (!budget_precise && used < budget_ns / 2)
        return;
    uint64_t ns = ticks_to_ns(used);
    if (ns <= budget_ns)
        return;
    if (!budget_precise) {
        budget_precise = true; /* wall time says over: let CPU time decide from now on */
        return;
    }
    uint64_t cpu = thread_cpu_ns() - begin_cpu_ns, waited = ticks_to_ns(hk_budget_waited_ticks);
    cpu = cpu > waited ? cpu - waited : 0; /* spinning for a hand-over is not the handler's work */
    if (cpu <= budget_ns)
        return;
    budget_warned = true;
    atomic_fetch_add(&hk_ctl->warnings, 1);
    char line[200];
    int n = snprintf(line, sizeof line,
                     "hostkit: warning: PD '%s' ran %.3f ms in %s(%u), past its budget of %.3f ms "
                     "(reported once)\n",
                     hk_name, (double)cpu / 1e6, handler, ch, (double)budget_ns / 1e6);
    if (n > 0 && hk_sys_write(2, line, (size_t)n) < 0) {
        /* stderr closed */
    }
}


void hk_budget_start(uint64_t budget)
{
    budget_ns = budget;
    start_ticks = hk_ticks();
    start_ns = hk_now_ns();
}

void hk_budget_init_done(void) { budget_precise = false; }

static const char *const handler_names[] = {
    [HK_TR_INIT] = "init", [HK_TR_NOTIFIED] = "notified", [HK_TR_PROTECTED] = "protected",
    [HK_TR_FAULT] = "fault",
};

uint64_t hk_handler_begin(uint32_t type, unsigned id, seL4_Word info)
{
    atomic_store_explicit(&hk_ctl->handler, type | id << 8, memory_order_relaxed);
    hk_trace_ev(type, id, info);
    hk_device_sync();
    return hk_budget_begin();
}

void hk_handler_end(uint64_t begin, uint32_t type, unsigned id, seL4_Word info)
{
    if (type == HK_TR_INIT) {
        hk_budget_check(begin, "init", 0);
        hk_budget_init_done();
    } else if (type != HK_TR_FAULT) {
        hk_budget_check(begin, handler_names[type], id);
    } else {
        hk_budget_running = false;
    }
    atomic_store_explicit(&hk_ctl->handler, 0, memory_order_relaxed);
    hk_trace_ev(HK_TR_END, id, info);
}
