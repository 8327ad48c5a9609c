/* cpu.h — holding a CPU and handing it over, from a thread's side: seL4's scheduler decisions
 * (sched.c decides who runs; this is where a thread blocks, wakes another, is preempted and waits
 * for the CPU back). The small steps are inline here, for the IPC path of ipc.c; the waits are in
 * cpu.c.
 *
 * Single-core seL4 (DESIGN §1): exactly one PD holds a CPU (kobj.h's hand-over word), and the
 * holder hands it over at every point where seL4 would reschedule. A PD only loses its CPU in the
 * kernel: host preemption aside, its own code runs until its next system call. */
#ifndef HOSTKIT_KERNEL_CPU_H
#define HOSTKIT_KERNEL_CPU_H

#include <setjmp.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "kernel/kernel.h"

/* Wait until this thread holds its CPU again (cpu.c). */
void hk_wait_cpu(void);
/* hk_wait_cpu(), also watching WORD on channel CH for VALUE (a direct hand-over with a message,
 * HK_CALL_DIRECT and a call state): the message and the hand-over arrive in one cache line. */
void hk_wait_cpu_watching(_Atomic uint32_t *word, uint32_t value, unsigned ch);
/* Why we were last given the CPU (kobj.h, HK_WHY_*), 0 once read by the receive. */
extern uint32_t hk_given_why;
/* Where the thread starts again at a restart (boot.c's hk_thread_start sets it), and the restarts
 * the thread has seen (kobj.h restart_seq): when it waits for its CPU and is given it back with a
 * restart pending, it jumps there (cpu.c). */
extern sigjmp_buf hk_restart_point;
extern uint32_t hk_restarts_seen;

/* A PD that maps a device's memory tells the monitor of every kernel entry (kobj.h device_sync):
 * the device takes what was written and refreshes what is read (docs/devices.md; request.c). */
void hk_device_sync_slow(void);
static inline void hk_device_sync(void)
{
    if (__builtin_expect(hk_devices_sync, 0))
        hk_device_sync_slow();
}

static inline bool hk_have_cpu(void) { return hk_current(hk_sched, hk_cpu) == hk_self; }

/* Takes a CPU's lock. Output is flushed first: whatever follows may hand the CPU to another PD,
 * whose output must come after ours (and no write may block while the lock is held). */
static inline void hk_lock_cpu(uint32_t cpu)
{
    hk_out_flush();
    hk_device_sync();
    hk_lock(hk_sched, cpu, (uint32_t)hk_self);
}

/* Give the CPU to whoever should have it now (possibly ourselves again), and wait for it back. */
static inline void hk_reschedule_unlock(void)
{
    int next = hk_pick(hk_sched, hk_cpu, hk_cfg->prio);
    hk_switch_unlock(hk_sched, hk_cpu, next, HK_FD_EVENT, hk_self, 0);
    hk_wait_cpu();
}

/* With PD i's CPU locked: if it is blocked in FROM, it becomes runnable, at the head or the tail
 * of its priority's queue (see hk_wake_at_head()). True if it was. (The lock orders every write
 * of a state, so relaxed accesses do.) */
static inline bool hk_ready_locked(int i, uint32_t from, bool at_head)
{
    uint32_t cpu = hk_cfg->cpu_of[i];
    if (hk_state(hk_sched, cpu, i) != from)
        return false;
    hk_set_state(hk_sched, cpu, i, HK_ST_RUNNABLE);
    hk_make_runnable(hk_sched, cpu, i, at_head, hk_same_prio_of[i]);
    return true;
}

/* With our CPU's lock held: we block in STATE (leaving the run queue). */
static inline void hk_block_locked(uint32_t state)
{
    hk_set_state(hk_sched, hk_cpu, hk_self, state);
    _Atomic uint64_t *runnable = &hk_sched->cpu[hk_cpu].runnable;
    atomic_store_explicit(runnable, atomic_load_explicit(runnable, memory_order_relaxed) & ~(1ull << hk_self),
                          memory_order_relaxed);
}

/* Where seL4 queues a thread woken by the running one (its schedule() after the syscall): at the
 * head of its priority's queue (tcbSchedEnqueue), except that a thread of the waker's own priority
 * woken while the waker stays runnable goes to the tail (SCHED_APPEND). A woken thread of higher
 * priority runs at once either way. */
static inline bool hk_wake_at_head(int i, bool waker_blocks)
{
    return waker_blocks || hk_cfg->prio[i] != hk_cfg->prio[hk_self];
}

/* PD i is blocked in FROM and now has something to do. On another CPU (--smp) an idle CPU is
 * started; a PD running there sees the work when it next enters the kernel. */
static inline void hk_ready(int i, uint32_t from, bool at_head)
{
    uint32_t cpu = hk_cfg->cpu_of[i];
    hk_lock_cpu(cpu);
    hk_ready_locked(i, from, at_head);
    if (cpu != hk_cpu && hk_current(hk_sched, cpu) < 0)
        hk_switch_unlock(hk_sched, cpu, hk_pick(hk_sched, cpu, hk_cfg->prio), HK_FD_EVENT, -1, 0);
    else
        hk_unlock(hk_sched, cpu);
}

/* With our CPU's lock held: a PD of higher priority preempts us. We go back to the head of our
 * queue, the CPU goes to the highest runnable PD (told WHY), and we wait for it back. */
static inline void hk_preempted_unlock(uint32_t why)
{
    hk_set_state(hk_sched, hk_cpu, hk_self, HK_ST_RUNNABLE);
    hk_make_runnable(hk_sched, hk_cpu, hk_self, true, hk_same_prio_of[hk_self]);
    hk_switch_unlock(hk_sched, hk_cpu, hk_pick(hk_sched, hk_cpu, hk_cfg->prio), HK_FD_EVENT, hk_self, why);
    hk_wait_cpu();
}

/* With our CPU's lock held: if PD i (on our CPU) is runnable and of higher priority than ours, it
 * runs now and we continue afterwards, as seL4 preempts on the spot. Releases the lock. */
static inline void hk_preempt_unlock(int i)
{
    if (hk_cfg->cpu_of[i] == hk_cpu && hk_cfg->prio[i] > hk_cfg->prio[hk_self] &&
        (atomic_load(&hk_sched->cpu[hk_cpu].runnable) & (1ull << i))) {
        hk_preempted_unlock(0);
    } else {
        hk_unlock(hk_sched, hk_cpu);
    }
}

/* PD i was signalled: it becomes runnable if it waits in receive, and may preempt us. When we
 * block right after (a deferred signal goes out with our receive), seL4 queues it as for a
 * blocking waker. On our own CPU both steps take the lock once. */
static inline void hk_wake(int i, bool then_block)
{
    bool at_head = hk_wake_at_head(i, then_block);
    if (hk_cfg->cpu_of[i] != hk_cpu || then_block) {
        hk_ready(i, HK_ST_RECV, at_head);
        return;
    }
    hk_lock_cpu(hk_cpu);
    hk_ready_locked(i, HK_ST_RECV, at_head);
    hk_preempt_unlock(i);
}

#endif
