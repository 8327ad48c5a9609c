/* sched.c — the single-core seL4 scheduler over struct hk_sched, run by whichever process holds a
 * CPU when a scheduling decision is due: a PD's libhostkit, or the monitor after a fault.
 *
 * seL4 picks the highest-priority runnable thread; among equal priorities the one that became
 * runnable first, except that a preempted thread goes back to the head of its queue (seL4's
 * tcbSchedEnqueue for the current thread). PD indices are sorted by priority, highest first, so the
 * highest priority present in the runnable mask is that of its lowest set bit. */
#include <limits.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "kernel/host.h"
#include "kernel/kobj.h"

void hk_lock(struct hk_sched *s, uint32_t cpu, uint32_t who)
{
    _Atomic uint32_t *l = &s->cpu[cpu].lock;
    for (unsigned spins = 0;; spins++) {
        uint32_t free_ = 0;
        if (atomic_compare_exchange_weak_explicit(l, &free_, who + 1, memory_order_acquire,
                                                  memory_order_relaxed))
            return;
        if (spins > 1000)
            sched_yield(); /* the holder was descheduled by the host */
        else
            __builtin_ia32_pause();
    }
}

bool hk_lock_monitor(struct hk_sched *s, uint32_t cpu, uint32_t who)
{
    /* A PD holds the lock for microseconds. One that keeps it (or garbage written over it) must
     * not stop the monitor: after 50 ms (by the clock: a short sleep lasts the timer slack, some
     * 50 us, not what it asks) the lock is taken from it. */
    _Atomic uint32_t *l = &s->cpu[cpu].lock;
    struct timespec start = {0, 0}, now;
    for (unsigned spins = 0;; spins++) {
        uint32_t free_ = 0;
        if (atomic_compare_exchange_weak_explicit(l, &free_, who + 1, memory_order_acquire,
                                                  memory_order_relaxed))
            return true;
        if (spins < 1000)
            continue;
        clock_gettime(CLOCK_MONOTONIC, &now);
        if (spins == 1000)
            start = now;
        else if ((now.tv_sec - start.tv_sec) * 1000000000ll + (now.tv_nsec - start.tv_nsec) > 50000000ll)
            break;
        struct timespec pause = {0, 1000};
        nanosleep(&pause, NULL);
    }
    atomic_store_explicit(l, who + 1, memory_order_release);
    return false;
}

void hk_unlock(struct hk_sched *s, uint32_t cpu)
{
    atomic_store_explicit(&s->cpu[cpu].lock, 0, memory_order_release);
}

uint64_t hk_same_prio(const uint8_t *prio, unsigned npds, int i)
{
    uint64_t m = 0;
    for (unsigned j = 0; j < npds; j++)
        if (prio[j] == prio[i])
            m |= 1ull << j;
    return m;
}

void hk_make_runnable(struct hk_sched *s, uint32_t cpu, int i, bool at_head, uint64_t same_prio)
{
    struct hk_cpu *c = &s->cpu[cpu];
    uint64_t bit = 1ull << i, r = atomic_load_explicit(&c->runnable, memory_order_relaxed);
    if (r & bit)
        return; /* already queued: keeps its place */
    /* The stamp only orders it among queued PDs of its priority. With none queued, the one it
     * has (any earlier head or tail value) already sits between every later head and tail
     * insertion, so the write, to a line the last waker of this PD holds, is left out. */
    if (r & same_prio)
        s->pd[i].stamp = at_head ? --c->head : ++c->tail;
    /* every writer of the mask holds the lock: no locked instruction needed */
    atomic_store_explicit(&c->runnable, r | bit, memory_order_relaxed);
}

int hk_pick(const struct hk_sched *s, uint32_t cpu, const uint8_t *prio)
{
    uint64_t r = atomic_load(&s->cpu[cpu].runnable);
    if (!r)
        return -1;
    int best = __builtin_ctzll(r);
    for (uint64_t rest = r & (r - 1); rest; rest &= rest - 1) {
        int i = __builtin_ctzll(rest);
        if (prio[i] != prio[best])
            break; /* sorted by priority: no more candidates of the top priority */
        if (s->pd[i].stamp < s->pd[best].stamp)
            best = i;
    }
    return best;
}

void hk_drop_spinner(struct hk_sched *s, uint32_t cpu, int i)
{
    _Atomic uint64_t *hand = &s->cpu[cpu].hand;
    uint64_t w = atomic_load_explicit(hand, memory_order_relaxed);
    if (hk_hand_spinner(w) == i) {
        atomic_store_explicit(hand, w | 0xffffull << 16, memory_order_release);
        atomic_fetch_sub(&s->spinners, 1);
    }
}

/* The new holder is told through the hand-over word, which it reads before it sleeps (after
 * raising `sleeping`); the doorbell futex only needs bumping when it may already sleep on it. */
void hk_ring(struct hk_sched *s, int i)
{
    struct hk_pd_sched *p = &s->pd[i];
    if (atomic_load(&p->sleeping)) {
        atomic_fetch_add(&p->doorbell, 1);
        syscall(SYS_futex, &p->doorbell, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
    }
}

void hk_switch_unlock(struct hk_sched *s, uint32_t cpu, int next, int event_fd, int giver, uint32_t why)
{
    /* Only a lock holder writes the word, so the hand-over is one plain store: no locked
     * instruction, which would wait for every store before it to reach the other core first. A
     * spinner given the CPU leaves its slot to the giver, who is about to wait in turn; a free
     * slot is taken for the giver if a core is spare for it. */
    _Atomic uint64_t *hand = &s->cpu[cpu].hand;
    uint64_t old = atomic_load_explicit(hand, memory_order_relaxed);
    int spinner = hk_hand_spinner(old), keeps = spinner;
    if (spinner >= 0 && spinner == next) {
        keeps = giver;
        if (giver < 0)
            atomic_fetch_sub(&s->spinners, 1); /* nobody to pass the slot to */
    } else if (spinner < 0 && giver >= 0 && giver != next) {
        if (atomic_fetch_add(&s->spinners, 1) < s->spin_limit)
            keeps = giver;
        else
            atomic_fetch_sub(&s->spinners, 1);
    }
    atomic_store_explicit(hand, hk_hand(next >= 0 ? (uint32_t)next : HK_IDLE, keeps >= 0 ? (uint32_t)keeps : HK_IDLE, why),
                          memory_order_release);
    hk_unlock(s, cpu);
    if (next >= 0 && next < HK_MAX_PDS) {
        if (next != spinner && next != hk_hand_holder(old)) {
            /* It may be asleep: it raises `sleeping`, then reads the word; we wrote the word, now
             * read `sleeping`. The fence keeps either side from missing the other. */
            atomic_thread_fence(memory_order_seq_cst);
            hk_ring(s, next);
        }
    } else {
        /* Idle, or handed to the monitor: tell it. */
        uint64_t one = 1;
        if (event_fd >= 0 && hk_sys_write(event_fd, &one, sizeof one) < 0) {
            /* the monitor is gone; nothing to tell */
        }
    }
}
