/* notification.c — seL4's notification object, the sending side (seL4 manual, "Notifications";
 * the kernel's sendSignal): a Signal on one of our channels reaches its peer at once, as its
 * badge, if the peer waits in receive, and is otherwise left in its notification word, where
 * signals coalesce. ipc.c's Signal, Send and NBSendRecv come here, as do a Call or TCB method on a
 * notification capability (tcb.c) and an IRQ handler's deferred ack (irq.c); the receiving side,
 * which reads what arrived, is ipc.c's receive. */
#include "kernel/cpu.h"

/* Bumps one of our signal page's counters: only we write it, so no locked instruction. */
static inline void bump(_Atomic uint32_t *counter)
{
    atomic_store_explicit(counter, atomic_load_explicit(counter, memory_order_relaxed) + 1,
                          memory_order_release);
}

/* With PD i's CPU locked: the signal on our channel CH reaches it. Waiting in receive, it gets the
 * signal at once, as its badge, and becomes runnable (true); otherwise the signal waits in its
 * notification word, coalescing with others (seL4's sendSignal). */
static bool deliver_locked(unsigned ch, int i, bool at_head)
{
    const struct hk_ch_cfg *c = &hk_cfg->ch[ch];
    struct hk_signal *sig = hk_signal_out[ch];
    if (hk_state(hk_sched, hk_cfg->cpu_of[i], i) == HK_ST_RECV) {
        bump(&sig->delivered);
        hk_ready_locked(i, HK_ST_RECV, at_head);
        return true;
    }
    bump(&sig->pending);
    atomic_fetch_or(&hk_sched->pd[i].hint, 1ull << c->peer_ch);
    return false;
}

void hk_signal_channel(unsigned ch, bool then_block)
{
    if (ch >= HK_NCH || !hk_signal_out[ch])
        return; /* not ours to notify: no page to signal it in */
    const struct hk_ch_cfg *c = &hk_cfg->ch[ch];
    int i = c->peer;
    uint32_t cpu = hk_cfg->cpu_of[i];
    hk_trace_ev(HK_TR_NOTIFY, ch, 0);
    hk_lock_cpu(cpu);
    bool woken = deliver_locked(ch, i, hk_wake_at_head(i, then_block));
    if (woken && cpu == hk_cpu && !then_block && hk_cfg->prio[i] > hk_cfg->prio[hk_self] &&
        hk_pick(hk_sched, hk_cpu, hk_cfg->prio) == i) {
        /* A higher-priority PD of our CPU waited for it: it preempts us at once, told in the
         * hand-over which channel woke it. */
        hk_preempted_unlock(HK_WHY_NOTE + c->peer_ch);
        return;
    }
    if (woken)
        atomic_store_explicit(&hk_sched->pd[i].wake, HK_WAKE_CH + c->peer_ch, memory_order_relaxed);
    if (cpu != hk_cpu) {
        if (woken && hk_current(hk_sched, cpu) < 0) /* --smp: start its idle CPU */
            hk_switch_unlock(hk_sched, cpu, hk_pick(hk_sched, cpu, hk_cfg->prio), HK_FD_EVENT, -1, 0);
        else
            hk_unlock(hk_sched, cpu);
    } else if (then_block) {
        hk_unlock(hk_sched, cpu); /* our receive follows: it hands the CPU on */
    } else {
        hk_preempt_unlock(i);
    }
}
