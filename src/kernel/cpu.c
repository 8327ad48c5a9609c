/* cpu.c — waiting for the CPU: what a thread does between giving its CPU away and getting it back
 * (cpu.h has the steps around it). It spins for a short while if a core is free for it (a
 * hand-back usually comes within a microsecond), then sleeps on its doorbell futex. A thread that
 * gets its CPU back while a restart of it is pending starts again at its entry point (boot.c
 * hk_thread_start). */
#include <linux/futex.h>
#include <sched.h>
#include <setjmp.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel/host.h"
#include "kernel/cpu.h"

uint32_t hk_given_why;
sigjmp_buf hk_restart_point;
uint32_t hk_restarts_seen;

/* A restart the monitor asked for (seL4_TCB_WriteRegisters with resume, tcb.c): when we get the
 * CPU back, we start again at our entry point, wherever we waited. */
static inline bool restart_pending(void)
{
    return atomic_load_explicit(&hk_ctl->restart_seq, memory_order_acquire) != hk_restarts_seen;
}

static void __attribute__((noreturn)) restart_now(void)
{
    hk_restarts_seen = atomic_load(&hk_ctl->restart_seq);
    siglongjmp(hk_restart_point, 1);
}

static inline void relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

/* While spinning, a wait that expects a direct hand-over with a message (the reply to our call;
 * the next call from our last caller) also watches that channel page's call word: the hand-over
 * is seen there, with the message in the same cache line. The watch holds for that one wait only:
 * a flag still set from the call we are serving would otherwise wake a later, unrelated wait
 * while another PD holds the CPU. */
#define SPIN_NS 50000u
static _Atomic uint32_t *watch; /* during hk_wait_cpu_watching(): the call word, or NULL */
static uint32_t watch_for;      /* ... the value meaning a direct hand-over to us */
static uint32_t watch_ch;       /* ... and its channel id */

/* Gives our spin slot back (with the lock: only a holder of it writes the hand-over word),
 * unless a hand-over to us has passed it on already. */
static void release_spin_slot(void)
{
    hk_lock(hk_sched, hk_cpu, (uint32_t)hk_self);
    hk_drop_spinner(hk_sched, hk_cpu, hk_self);
    hk_unlock(hk_sched, hk_cpu);
}

static void wait_for_handover(void)
{
    struct hk_pd_sched *me = &hk_sched->pd[hk_self];
    _Atomic uint64_t *hand = &hk_sched->cpu[hk_cpu].hand;
    uint64_t w = atomic_load_explicit(hand, memory_order_relaxed);
    if (hk_hand_spinner(w) == hk_self) { /* hk_switch_unlock() gave us the slot */
        uint64_t start = 0;
        for (unsigned i = 1;; i++) {
            if (watch && atomic_load_explicit(watch, memory_order_acquire) == watch_for) {
                hk_given_why = (watch_for & HK_CALL_STATE) == HK_CALL_PENDING ? HK_WHY_CALL + watch_ch : 0;
                return; /* the giver passed our spin slot on with the hand-over */
            }
            w = atomic_load_explicit(hand, memory_order_acquire);
            if (hk_hand_holder(w) == hk_self)
                break;
            relax();
            if (!(i & 63)) {
                /* The holder is not running yet (woken from its sleep, waiting for a core, maybe
                 * ours): let it have the core. */
                int h = hk_hand_holder(w);
                if (h >= 0 && h < HK_MAX_PDS && atomic_load_explicit(&hk_sched->pd[h].sleeping, memory_order_relaxed))
                    sched_yield();
                if (!(i & 255)) {
                    if (!start)
                        start = hk_now_ns();
                    else if (hk_now_ns() - start > SPIN_NS)
                        break;
                }
            }
        }
        if (hk_hand_holder(w) != hk_self) {
            release_spin_slot();
            w = atomic_load(hand);
        }
        if (hk_hand_holder(w) == hk_self) {
            hk_given_why = hk_hand_why(w);
            return;
        }
    }
    for (;;) {
        uint32_t seq = atomic_load(&me->doorbell);
        atomic_store(&me->sleeping, 1);
        if ((w = atomic_load(hand), hk_hand_holder(w) == hk_self))
            break;
        syscall(SYS_futex, &me->doorbell, FUTEX_WAIT, seq, NULL, NULL, 0);
        if ((w = atomic_load(hand), hk_hand_holder(w) == hk_self))
            break;
    }
    hk_given_why = hk_hand_why(w);
    atomic_store_explicit(&me->sleeping, 0, memory_order_relaxed);
}

static void wait_cpu(void)
{
    hk_out_flush();
    uint64_t w = atomic_load_explicit(&hk_sched->cpu[hk_cpu].hand, memory_order_acquire);
    if (hk_hand_holder(w) == hk_self) {
        hk_given_why = hk_hand_why(w);
    } else if (!hk_budget_running) { /* between handlers (a reply's receive): nothing to leave out */
        wait_for_handover();
    } else {
        uint64_t wait_begin = hk_ticks();
        wait_for_handover();
        hk_budget_waited(hk_ticks() - wait_begin);
    }
}

void hk_wait_cpu(void)
{
    wait_cpu();
    if (__builtin_expect(restart_pending(), 0))
        restart_now();
}

void hk_wait_cpu_watching(_Atomic uint32_t *word, uint32_t value, unsigned ch)
{
    watch = word;
    watch_for = value;
    watch_ch = ch;
    wait_cpu();
    watch = NULL;
    if (__builtin_expect(restart_pending(), 0))
        restart_now();
}
