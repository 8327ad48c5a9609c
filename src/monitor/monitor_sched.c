/* monitor_sched.c — the monitor's scheduling actions on the scheduler page (kernel/sched.c), the
 * ones the event loop, faults, IRQs, the control channel, the devices and the watch all take:
 * making a PD that waits in receive runnable, giving an idle CPU to the next runnable PD, and
 * raising or lowering a PD's IRQ as seL4 signals an IRQ's notification. Below everything but
 * run_state.c. */
#include <stdio.h>

#include "monitor/monitor.h"

/* With PD's CPU locked by the monitor: if PD waits in receive, it becomes runnable, at the head of
 * its priority's queue, as the kernel queues a thread a signal woke, with WAKE (kobj.h HK_WAKE_*)
 * as its badge (0: its wake word left as it is) (true); otherwise the caller leaves the event
 * pending (false). */
bool monitor_wake_locked(int pd, uint32_t wake)
{
    uint32_t cpu = M.cpu_of[pd];
    if (hk_state(M.sched, cpu, pd) != HK_ST_RECV)
        return false;
    if (wake)
        atomic_store(&M.sched->pd[pd].wake, wake);
    hk_set_state(M.sched, cpu, pd, HK_ST_RUNNABLE);
    hk_make_runnable(M.sched, cpu, pd, true, hk_same_prio(M.prio, M.npds, pd));
    return true;
}

/* Makes PD i runnable if it waits in receive (the monitor's wake-up, for faults and the control
 * channel's ppcall: the PD finds what came by its hint). */
void monitor_ready(unsigned i)
{
    uint32_t cpu = M.cpu_of[i];
    hk_lock_monitor(M.sched, cpu, MONITOR_ID);
    monitor_wake_locked((int)i, 0);
    hk_unlock(M.sched, cpu);
}

/* A PD of CPU has faulted and the monitor has not dealt with the fault yet (with the CPU's lock
 * held: a PD sets its state to faulted under it, before it hands the CPU to the monitor). */
static bool fault_not_dealt_with(uint32_t cpu)
{
    for (unsigned i = 0; i < M.npds; i++)
        if (M.cpu_of[i] == cpu && hk_state(M.sched, cpu, (int)i) == HK_ST_FAULTED &&
            atomic_load(&M.pd[i].ctl->fault.seq) != M.pd[i].fault_seen)
            return true;
    return false;
}

/* If CPU is idle, or held by a PD that cannot run, give it to the next runnable PD. A CPU a
 * faulting PD handed to the monitor is given on only by on_event(), once the fault is dealt with
 * (TAKE_FROM_MONITOR): the report, or the parent's fault(), comes before anything else runs, as on
 * seL4. A fault that came while on_event() was busy with something else (the parent's request to
 * stop the previous child, say) is not dealt with yet: the CPU stays, and the faulting PD's ring
 * brings on_event() round again. */
void monitor_reschedule(uint32_t cpu, bool take_from_monitor)
{
    if (M.gdb_holds_cpus)
        return; /* --gdb: nothing runs before gdb lets that PD start */
    hk_lock_monitor(M.sched, cpu, MONITOR_ID);
    int cur = hk_current(M.sched, cpu);
    bool give = cur == MONITOR_ID ? take_from_monitor && !fault_not_dealt_with(cpu)
                                  : cur < 0 || (unsigned)cur >= M.npds ||
                                        hk_state(M.sched, cpu, cur) >= HK_ST_FAULTED;
    if (give) {
        /* only real PDs of this CPU: bits the shared page should not have are dropped */
        uint64_t mine = 0;
        for (unsigned i = 0; i < M.npds; i++)
            if (M.cpu_of[i] == cpu)
                mine |= 1ull << i;
        atomic_fetch_and(&M.sched->cpu[cpu].runnable, mine);
        hk_switch_unlock(M.sched, cpu, hk_pick(M.sched, cpu, M.prio), -1, -1, 0);
    } else {
        hk_unlock(M.sched, cpu);
    }
}

/* Raises IRQ channel ID of PD (the monitor's interrupt controller). A PD waiting in receive gets
 * a deliverable IRQ at once, as its badge (seL4 signals the IRQ's notification); otherwise it
 * waits in the notification word, coalescing. */
void monitor_raise_irq(int pd, unsigned id)
{
    char what[48];
    snprintf(what, sizeof what, "irq (channel %u)", id);
    trace_instant(pd, "irq", what);
    struct hk_ctl *ctl = M.pd[pd].ctl;
    uint64_t bit = 1ull << id;
    uint32_t cpu = M.cpu_of[pd];
    hk_lock_monitor(M.sched, cpu, MONITOR_ID);
    atomic_fetch_or(&ctl->irq_pending, bit);
    if ((atomic_load(&ctl->irq_masked) & bit) || !monitor_wake_locked(pd, HK_WAKE_IRQ + id))
        atomic_fetch_or(&M.sched->pd[pd].hint, bit);
    hk_unlock(M.sched, cpu);
}

void monitor_irq_level(int pd, unsigned id, bool high)
{
    struct hk_ctl *ctl = M.pd[pd].ctl;
    uint64_t bit = 1ull << id;
    if (high) {
        if (!(atomic_load(&ctl->irq_pending) & bit))
            monitor_raise_irq(pd, id);
        return;
    }
    if (!(atomic_load(&ctl->irq_pending) & bit))
        return;
    uint32_t cpu = M.cpu_of[pd];
    hk_lock_monitor(M.sched, cpu, MONITOR_ID);
    atomic_fetch_and(&ctl->irq_pending, ~bit); /* a PD woken for it finds nothing and waits on */
    hk_unlock(M.sched, cpu);
}
