/* libhostkit.c — a PD's side of hostkit: main(), the event loop, and the kernel operations behind
 * microkit.h (notify, ppcall and its reply, IRQ ack, deferred signals, children); the trace hooks.
 * pd.h lists the library's other files.
 *
 * The event loop follows libmicrokit's documented behaviour: init() once, then forever receive;
 * pending notifications are taken as one set and notified() is called for each channel in
 * ascending id order (a bound notification is delivered before a waiting call, as seL4 does);
 * otherwise one waiting ppcall is taken, protected() runs and its result is the reply. A deferred
 * signal goes out at the next receive that carries no reply.
 *
 * The path of one ppcall: microkit_ppcall() (include/microkit.h) -> hostkit_call() here, which
 * fills the channel page and hands the CPU to the callee -> the callee's loop below finds the call,
 * runs protected(), and reply_recv() fills the page and makes the caller runnable. */
#include <errno.h>
#include <limits.h>
#include <link.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "kernel/kobj.h"
#include "microkit.h"
#include "kernel/pd.h"

seL4_IPCBuffer hostkit_ipc_buffer;
char microkit_name[MICROKIT_PD_NAME_LENGTH];
seL4_Word microkit_notifications, microkit_pps, microkit_irqs;

static struct hk_ctl *ctl;
static struct hk_sched *sched;
static struct hk_chan *chan[HK_NCH];
static int self;
static uint64_t same_prio[HK_MAX_PDS]; /* hk_same_prio() of each PD */
static uint32_t my_cpu;
static uint64_t calls_waiting;   /* channels whose call slot we saw pending, not yet served */
static struct { bool have, irq; microkit_channel ch; } deferred;
static struct hk_trace *trace;   /* NULL unless hostkit run --trace */
static struct hk_timer_regs *timer; /* the virtual timer's registers, if this PD maps them */
static uint64_t timer_seen;
static bool log_ipc;             /* hostkit run --log */

/* protected() is optional too: libmicrokit's default answers every call with an empty msginfo. */
__attribute__((weak)) microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    (void)msginfo;
    return seL4_MessageInfo_new(0, 0, 0, 0);
}

/* fault() is optional in a PD: without one, a child's fault is not resolved. */
__attribute__((weak)) seL4_Bool fault(microkit_child child, microkit_msginfo msginfo,
                                      microkit_msginfo *reply)
{
    (void)msginfo;
    (void)reply;
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": received fault from child ");
    microkit_dbg_put32(child);
    microkit_dbg_puts(" but has no fault() handler\n");
    return seL4_False;
}

/* ---- holding and giving up the CPU ---- */
static inline void relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

static inline bool have_cpu(void)
{
    return hk_current(sched, my_cpu) == self;
}

/* ---- tracing (off: one branch per event) ---- */
static const char *const trace_names[] = {
    [HK_TR_INIT] = "init",     [HK_TR_NOTIFIED] = "notified", [HK_TR_PROTECTED] = "protected",
    [HK_TR_FAULT] = "fault",   [HK_TR_END] = "return",        [HK_TR_NOTIFY] = "notify",
    [HK_TR_CALL] = "ppcall",   [HK_TR_RETURN] = "reply",      [HK_TR_IRQ_ACK] = "irq_ack",
};

static void trace_slow(uint32_t type, uint32_t ch, seL4_Word info)
{
    uint64_t label = info >> 12;
    uint32_t count = (uint32_t)(info & 0x7f);
    if (trace) {
        uint64_t i = atomic_load_explicit(&trace->n, memory_order_relaxed);
        if (i < trace->cap) {
            trace->ev[i] = (struct hk_trace_ev){hk_now_ns(), type, ch, label, count, 0};
            atomic_store_explicit(&trace->n, i + 1, memory_order_release);
        } else {
            atomic_fetch_add(&trace->dropped, 1);
        }
    }
    if (log_ipc && type != HK_TR_END) {
        char line[160];
        int n;
        const struct hk_ch_cfg *c = ch < HK_NCH ? &ctl->ch[ch] : NULL;
        if ((type == HK_TR_NOTIFY || type == HK_TR_CALL) && c && c->kind == HK_CH_CHANNEL)
            n = snprintf(line, sizeof line, "hostkit: %s %s ch %u -> pd %d ch %u label %llu mrs %u\n",
                         microkit_name, trace_names[type], ch, c->peer, c->peer_ch,
                         (unsigned long long)label, count);
        else
            n = snprintf(line, sizeof line, "hostkit: %s %s %u label %llu mrs %u\n", microkit_name,
                         trace_names[type], ch, (unsigned long long)label, count);
        if (n > 0 && write(2, line, (size_t)n) < 0) {
            /* stderr closed: nothing to log to */
        }
    }
}

/* HOSTKIT_NO_TRACE compiles the hooks out: `make bench` measures the ppcall against such a build
 * to show what the hooks cost with tracing off. */
static inline void trace_ev(uint32_t type, uint32_t ch, seL4_Word info)
{
#ifdef HOSTKIT_NO_TRACE
    (void)type, (void)ch, (void)info, (void)trace_slow;
#else
    if (__builtin_expect(trace != NULL || log_ipc, 0))
        trace_slow(type, ch, info);
#endif
}

/* The virtual timer (kobj.h): NOW is refreshed and a newly written DEADLINE passed to the monitor
 * whenever this PD enters the kernel or starts a handler. */
static void timer_sync(void)
{
    timer->now = hk_now_ns() - ctl->boot_ns;
    uint64_t d = timer->deadline;
    if (d != timer_seen) {
        timer_seen = d;
        atomic_store(&ctl->timer_deadline, d);
        uint64_t one = 1;
        if (write(HK_FD_EVENT, &one, sizeof one) < 0) {
            /* the monitor is gone */
        }
    }
}

static inline void device_sync(void)
{
    if (__builtin_expect(timer != NULL, 0))
        timer_sync();
}

/* A handler starts: the timer device sees the kernel entry, the budget starts counting. */
static uint64_t handler_begin(void)
{
    device_sync();
    return hk_budget_begin();
}

/* Spin for a short while if a core is free for it (a hand-back usually comes within a
 * microsecond), then sleep on the doorbell futex. While spinning, a wait that expects a direct
 * hand-over with a message (the reply to our call; the next call from our last caller) also
 * watches that channel page's call word: the hand-over is seen there, with the message in the
 * same cache line. The watch holds for that one wait only: a flag still set from the call we are
 * serving would otherwise wake a later, unrelated wait while another PD holds the CPU. */
#define SPIN_NS 50000u
static _Atomic uint32_t *watch;  /* during wait_cpu_watching(): the call word, or NULL */
static uint32_t watch_for;       /* ... the value meaning a direct hand-over to us */
static uint32_t watch_ch;        /* ... and its channel id */
static uint32_t given_why;       /* why we were last given the CPU (kobj.h, HK_WHY_*) */
static void wait_for_handover(void);
static void wait_cpu(void)
{
    hk_out_flush();
    uint64_t w = atomic_load_explicit(&sched->cpu[my_cpu].hand, memory_order_acquire);
    if (hk_hand_holder(w) == self) {
        given_why = hk_hand_why(w);
        return;
    }
    if (!hk_budget_running) { /* between handlers (a reply's receive): nothing to leave out */
        wait_for_handover();
        return;
    }
    uint64_t wait_begin = hk_ticks();
    wait_for_handover();
    hk_budget_waited(hk_ticks() - wait_begin);
}

/* wait_cpu(), also watching WORD on channel CH for VALUE (HK_CALL_DIRECT and a call state). */
static void wait_cpu_watching(_Atomic uint32_t *word, uint32_t value, microkit_channel ch)
{
    watch = word;
    watch_for = value;
    watch_ch = ch;
    wait_cpu();
    watch = NULL;
}

/* Gives our spin slot back (with the lock: only a holder of it writes the hand-over word),
 * unless a hand-over to us has passed it on already. */
static void release_spin_slot(void)
{
    hk_lock(sched, my_cpu, (uint32_t)self);
    hk_drop_spinner(sched, my_cpu, self);
    hk_unlock(sched, my_cpu);
}

static void wait_for_handover(void)
{
    struct hk_pd_sched *me = &sched->pd[self];
    _Atomic uint64_t *hand = &sched->cpu[my_cpu].hand;
    uint64_t w = atomic_load_explicit(hand, memory_order_relaxed);
    if (hk_hand_spinner(w) == self) { /* hk_switch_unlock() gave us the slot */
        uint64_t start = 0;
        for (unsigned i = 1;; i++) {
            if (watch && atomic_load_explicit(watch, memory_order_acquire) == watch_for) {
                given_why = (watch_for & HK_CALL_STATE) == HK_CALL_PENDING ? HK_WHY_CALL + watch_ch : 0;
                return; /* the giver passed our spin slot on with the hand-over */
            }
            w = atomic_load_explicit(hand, memory_order_acquire);
            if (hk_hand_holder(w) == self)
                break;
            relax();
            if (!(i & 63)) {
                /* The holder is not running yet (woken from its sleep, waiting for a core, maybe
                 * ours): let it have the core. */
                int h = hk_hand_holder(w);
                if (h >= 0 && h < HK_MAX_PDS && atomic_load_explicit(&sched->pd[h].sleeping, memory_order_relaxed))
                    sched_yield();
                if (!(i & 255)) {
                    if (!start)
                        start = hk_now_ns();
                    else if (hk_now_ns() - start > SPIN_NS)
                        break;
                }
            }
        }
        if (hk_hand_holder(w) != self) {
            release_spin_slot();
            w = atomic_load(hand);
        }
        if (hk_hand_holder(w) == self) {
            given_why = hk_hand_why(w);
            return;
        }
    }
    for (;;) {
        uint32_t seq = atomic_load(&me->doorbell);
        atomic_store(&me->sleeping, 1);
        if ((w = atomic_load(hand), hk_hand_holder(w) == self))
            break;
        syscall(SYS_futex, &me->doorbell, FUTEX_WAIT, seq, NULL, NULL, 0);
        if ((w = atomic_load(hand), hk_hand_holder(w) == self))
            break;
    }
    given_why = hk_hand_why(w);
    atomic_store_explicit(&me->sleeping, 0, memory_order_relaxed);
}

/* Takes a CPU's lock. Output is flushed first: whatever follows may hand the CPU to another PD,
 * whose output must come after ours (and no write may block while the lock is held). */
static void lock_cpu(uint32_t cpu)
{
    hk_out_flush();
    device_sync();
    hk_lock(sched, cpu, (uint32_t)self);
}

/* Give the CPU to whoever should have it now (possibly ourselves again), and wait for it back. */
static void reschedule_unlock(void)
{
    int next = hk_pick(sched, my_cpu, ctl->prio);
    hk_switch_unlock(sched, my_cpu, next, HK_FD_EVENT, self, 0);
    wait_cpu();
}

/* With PD i's CPU locked: if it is blocked in FROM, it becomes runnable, at the head or the tail
 * of its priority's queue (see wake_at_head()). True if it was. (The lock orders every write of a
 * state, so relaxed accesses do.) */
static bool ready_locked(int i, uint32_t from, bool at_head)
{
    uint32_t cpu = ctl->cpu_of[i];
    if (hk_state(sched, cpu, i) != from)
        return false;
    hk_set_state(sched, cpu, i, HK_ST_RUNNABLE);
    hk_make_runnable(sched, cpu, i, at_head, same_prio[i]);
    return true;
}

/* With our CPU's lock held: we block in STATE (leaving the run queue). */
static void block_locked(uint32_t state)
{
    hk_set_state(sched, my_cpu, self, state);
    _Atomic uint64_t *runnable = &sched->cpu[my_cpu].runnable;
    atomic_store_explicit(runnable, atomic_load_explicit(runnable, memory_order_relaxed) & ~(1ull << self),
                          memory_order_relaxed);
}

/* Where seL4 queues a thread woken by the running one (its schedule() after the syscall): at the
 * head of its priority's queue (tcbSchedEnqueue), except that a thread of the waker's own priority
 * woken while the waker stays runnable goes to the tail (SCHED_APPEND). A woken thread of higher
 * priority runs at once either way. */
static bool wake_at_head(int i, bool waker_blocks)
{
    return waker_blocks || ctl->prio[i] != ctl->prio[self];
}

/* PD i is blocked in FROM and now has something to do. On another CPU (--smp) an idle CPU is
 * started; a PD running there sees the work when it next enters the kernel. */
static void ready(int i, uint32_t from, bool at_head)
{
    uint32_t cpu = ctl->cpu_of[i];
    lock_cpu(cpu);
    ready_locked(i, from, at_head);
    if (cpu != my_cpu && hk_current(sched, cpu) < 0)
        hk_switch_unlock(sched, cpu, hk_pick(sched, cpu, ctl->prio), HK_FD_EVENT, -1, 0);
    else
        hk_unlock(sched, cpu);
}

/* With our CPU's lock held: a PD of higher priority preempts us. We go back to the head of our
 * queue, the CPU goes to the highest runnable PD (told WHY), and we wait for it back. */
static void preempted_unlock(uint32_t why)
{
    hk_set_state(sched, my_cpu, self, HK_ST_RUNNABLE);
    hk_make_runnable(sched, my_cpu, self, true, same_prio[self]);
    hk_switch_unlock(sched, my_cpu, hk_pick(sched, my_cpu, ctl->prio), HK_FD_EVENT, self, why);
    wait_cpu();
}

/* With our CPU's lock held: if PD i (on our CPU) is runnable and of higher priority than ours, it
 * runs now and we continue afterwards, as seL4 preempts on the spot. Releases the lock. */
static void preempt_unlock(int i)
{
    if (ctl->cpu_of[i] == my_cpu && ctl->prio[i] > ctl->prio[self] &&
        (atomic_load(&sched->cpu[my_cpu].runnable) & (1ull << i))) {
        preempted_unlock(0);
    } else {
        hk_unlock(sched, my_cpu);
    }
}

/* PD i was signalled: it becomes runnable if it waits in receive, and may preempt us. When we
 * block right after (a deferred signal goes out with our receive), seL4 queues it as for a
 * blocking waker. On our own CPU both steps take the lock once. */
static void wake(int i, bool then_block)
{
    bool at_head = wake_at_head(i, then_block);
    if (ctl->cpu_of[i] != my_cpu || then_block) {
        ready(i, HK_ST_RECV, at_head);
        return;
    }
    lock_cpu(my_cpu);
    ready_locked(i, HK_ST_RECV, at_head);
    preempt_unlock(i);
}

/* Asks the monitor to act on one of our children, and waits for it to have done so. */
static void request(uint32_t op, microkit_child child, const char *call)
{
    if (child >= HK_NCH || ctl->child_pd[child] < 0) {
        microkit_dbg_puts(microkit_name);
        microkit_dbg_puts(" ");
        microkit_dbg_puts(call);
        microkit_dbg_puts(": invalid child given '");
        microkit_dbg_put32(child);
        microkit_dbg_puts("'\n");
        return;
    }
    hk_out_flush();
    ctl->req_op = op;
    ctl->req_child = child;
    uint32_t seq = atomic_fetch_add(&ctl->req_seq, 1) + 1;
    uint64_t one = 1;
    if (write(HK_FD_EVENT, &one, sizeof one) < 0)
        _exit(122); /* the monitor is gone */
    uint32_t ack;
    uint64_t wait_begin = hk_ticks();
    while ((ack = atomic_load(&ctl->ack_seq)) != seq)
        syscall(SYS_futex, &ctl->ack_seq, FUTEX_WAIT, ack, NULL, NULL, 0);
    hk_budget_waited(hk_ticks() - wait_begin); /* the monitor's work, not ours */
    lock_cpu(my_cpu);
    preempt_unlock(ctl->child_pd[child]); /* a restarted or resumed child may outrank us */
}

/* ---- kernel operations behind microkit.h ---- */
static void signal_peer(microkit_channel ch, bool then_block)
{
    const struct hk_ch_cfg *c = &ctl->ch[ch];
    int i = c->peer;
    trace_ev(HK_TR_NOTIFY, ch, 0);
    if (ctl->cpu_of[i] == my_cpu && !then_block && ctl->prio[i] > ctl->prio[self]) {
        /* A higher-priority PD of our CPU: if it waits in receive it preempts us at once, told
         * in the hand-over which channel to look at (nothing else waited for it); otherwise the
         * signal waits on the page, the hint bit saying where. */
        lock_cpu(my_cpu);
        atomic_store_explicit(&chan[ch]->notify[c->end ^ 1], 1, memory_order_relaxed);
        if (ready_locked(i, HK_ST_RECV, true) && hk_pick(sched, my_cpu, ctl->prio) == i) {
            preempted_unlock(HK_WHY_NOTE + c->peer_ch);
            return;
        }
        atomic_fetch_or(&sched->pd[i].hint, 1ull << c->peer_ch);
        preempt_unlock(i);
        return;
    }
    atomic_store(&chan[ch]->notify[c->end ^ 1], 1);
    atomic_fetch_or(&sched->pd[i].hint, 1ull << c->peer_ch);
    wake(i, then_block);
}

void hostkit_signal(microkit_channel ch) { signal_peer(ch, false); }

static size_t msg_length(seL4_Word info)
{
    size_t n = info & 0x7fu;
    return n > seL4_MsgMaxLength ? seL4_MsgMaxLength : n;
}

/* Copies the message registers INFO counts. Messages are mostly a few registers, for which a
 * string instruction's start-up costs more than the copy: those go word by word. */
static inline void copy_mrs(seL4_Word *restrict to, const seL4_Word *restrict from, seL4_Word info)
{
    size_t n = msg_length(info);
    if (n > 8) {
        memcpy(to, from, n * sizeof *to);
        return;
    }
    for (size_t i = 0; i < n; i++)
        to[i] = from[i];
}

/* The msginfo as the receiver sees it: seL4 transfers at most seL4_MsgMaxLength registers and
 * says so in the length it delivers. */
static seL4_Word msg_clamped(seL4_Word info)
{
    return (info & ~(seL4_Word)0x7f) | msg_length(info);
}

/* A call's or a reply's message onto its channel page (the call word is the writer's to set). */
static void put_msg(struct hk_chan *page, seL4_Word info)
{
    copy_mrs(page->mr, hostkit_ipc_buffer.msg, info);
    page->msginfo = msg_clamped(info);
}

/* The message on a channel page into our IPC buffer; its msginfo, as delivered. The page is
 * shared: its length is clamped, nothing else on it is trusted. */
static microkit_msginfo take_msg(const struct hk_chan *page)
{
    microkit_msginfo info = {{msg_clamped(page->msginfo)}};
    copy_mrs(hostkit_ipc_buffer.msg, page->mr, info.words[0]);
    return info;
}

microkit_msginfo hostkit_call(microkit_channel ch, microkit_msginfo msginfo)
{
    const struct hk_ch_cfg *c = &ctl->ch[ch];
    struct hk_chan *page = chan[ch];
    struct hk_pd_sched *me = &sched->pd[self];
    trace_ev(HK_TR_CALL, ch, msginfo.words[0]);

    /* Block in the call and make the callee runnable; being of higher priority, it runs next.
     * We go on once the reply has made us runnable and we have been given the CPU back. When the
     * callee waits in receive on our CPU (then nothing else waits for it: seL4's fastpath case),
     * the CPU goes straight to it, said on the page (HK_CALL_DIRECT) and in the hand-over word;
     * otherwise the call waits on the page until the callee next receives, and the hint tells it
     * where to look. */
    me->call_ch = ch;
    atomic_store_explicit(&me->call_to, c->peer, memory_order_relaxed);
    if (ctl->cpu_of[c->peer] == my_cpu) {
        lock_cpu(my_cpu);
        block_locked(HK_ST_CALL);
        bool receiving = ready_locked(c->peer, HK_ST_RECV, true);
        int next = hk_pick(sched, my_cpu, ctl->prio);
        bool direct = receiving && next == c->peer;
        /* the message in one burst, right before the hand-over: the callee watches this line */
        put_msg(page, msginfo.words[0]);
        atomic_store_explicit(&page->call, HK_CALL_PENDING | (direct ? HK_CALL_DIRECT : 0), memory_order_release);
        if (!direct)
            atomic_fetch_or(&sched->pd[c->peer].hint, 1ull << c->peer_ch);
        hk_switch_unlock(sched, my_cpu, next, HK_FD_EVENT, self, direct ? HK_WHY_CALL + c->peer_ch : 0);
        wait_cpu_watching(&page->call, HK_CALL_REPLIED | HK_CALL_DIRECT, ch);
    } else {
        put_msg(page, msginfo.words[0]);
        atomic_store_explicit(&page->call, HK_CALL_PENDING, memory_order_release);
        atomic_fetch_or(&sched->pd[c->peer].hint, 1ull << c->peer_ch);
        lock_cpu(my_cpu);
        block_locked(HK_ST_CALL);
        hk_unlock(sched, my_cpu);
        ready(c->peer, HK_ST_RECV, true); /* on its own CPU (--smp) */
    }
    for (;;) {
        uint32_t st = atomic_load_explicit(&page->call, memory_order_acquire);
        if (st == (HK_CALL_REPLIED | HK_CALL_DIRECT) || (st == HK_CALL_REPLIED && have_cpu()))
            break;
        lock_cpu(my_cpu);
        reschedule_unlock();
    }
    microkit_msginfo answer = take_msg(page);
    atomic_store_explicit(&page->call, HK_CALL_IDLE, memory_order_relaxed);
    trace_ev(HK_TR_RETURN, ch, answer.words[0]);
    return answer;
}

/* True if something waits for us: a hint, a child's fault, a deliverable IRQ. */
static bool work_waiting(void)
{
    return atomic_load(&sched->pd[self].hint) || atomic_load(&ctl->child_faults) ||
           (atomic_load(&ctl->irq_pending) & ~atomic_load(&ctl->irq_masked));
}

/* seL4_ReplyRecv: the reply makes the caller runnable and, unless something else waits for us,
 * we block in receive in the same step, so the CPU goes straight to the caller if it is now the
 * highest runnable PD. */
static void reply_recv(microkit_channel ch, microkit_msginfo msginfo)
{
    const struct hk_ch_cfg *c = &ctl->ch[ch];
    struct hk_chan *page = chan[ch];
    if (ctl->cpu_of[c->peer] != my_cpu) {
        put_msg(page, msginfo.words[0]);
        atomic_store(&page->call, HK_CALL_REPLIED);
        ready(c->peer, HK_ST_CALL, true);
        return;
    }
    lock_cpu(my_cpu);
    ready_locked(c->peer, HK_ST_CALL, true);
    bool stay = calls_waiting || work_waiting();
    int next = -1;
    if (!stay) {
        block_locked(HK_ST_RECV);
        next = hk_pick(sched, my_cpu, ctl->prio);
    }
    /* the reply in one burst, right before the hand-over: the caller watches this line */
    put_msg(page, msginfo.words[0]);
    atomic_store_explicit(&page->call, HK_CALL_REPLIED | (next == c->peer ? HK_CALL_DIRECT : 0),
                          memory_order_release);
    if (stay) {
        hk_unlock(sched, my_cpu);
        return;
    }
    hk_switch_unlock(sched, my_cpu, next, HK_FD_EVENT, self, 0);
    /* the likeliest next event: the same caller again */
    wait_cpu_watching(&page->call, HK_CALL_PENDING | HK_CALL_DIRECT, ch);
}

/* IRQs behave as level interrupts: one delivered is masked until acknowledged; raised again in
 * the meantime it stays pending once, and is delivered after the ack. */
void hostkit_irq_ack(microkit_channel ch)
{
    uint64_t bit = 1ull << ch;
    trace_ev(HK_TR_IRQ_ACK, ch, 0);
    atomic_fetch_and(&ctl->irq_masked, ~bit);
    if (atomic_load(&ctl->irq_pending) & bit)
        atomic_fetch_or(&sched->pd[self].hint, bit);
}

void hostkit_defer(microkit_channel ch, int is_irq_ack)
{
    deferred.have = true;
    deferred.irq = is_irq_ack != 0;
    deferred.ch = ch;
}

/* The child starts afresh from its image (static data re-initialised, init runs again); hostkit
 * cannot start a host process at an arbitrary entry point, so entry_point is not used. */
void hostkit_pd_restart(microkit_child child, seL4_Word entry_point)
{
    (void)entry_point;
    request(HK_REQ_RESTART, child, "microkit_pd_restart");
}

void hostkit_pd_stop(microkit_child child) { request(HK_REQ_STOP, child, "microkit_pd_stop"); }

/* ---- receiving ---- */

/* Channels with a notification for us; calls waiting are noted in calls_waiting. The hint mask is
 * only where to look: the channel pages say what is really there. */
static uint64_t take_notifications(void)
{
    uint64_t hint = atomic_exchange(&sched->pd[self].hint, 0);
    uint64_t got = atomic_load(&ctl->irq_pending) & ~atomic_load(&ctl->irq_masked) & microkit_irqs;
    if (got) {
        atomic_fetch_or(&ctl->irq_masked, got);
        atomic_fetch_and(&ctl->irq_pending, ~got);
    }
    for (; hint; hint &= hint - 1) {
        int b = __builtin_ctzll(hint);
        if (b >= HK_NCH) /* the fault hint, or garbage from another PD: nothing to look at */
            continue;
        const struct hk_ch_cfg *c = &ctl->ch[b];
        if (c->kind != HK_CH_CHANNEL)
            continue;
        if (atomic_exchange(&chan[b]->notify[c->end], 0))
            got |= 1ull << b;
        if (c->pp_in && (atomic_load(&chan[b]->call) & HK_CALL_STATE) == HK_CALL_PENDING)
            calls_waiting |= 1ull << b;
    }
    return got;
}

/* Block until something arrives (unless it already has). */
static void recv_block(void)
{
    lock_cpu(my_cpu);
    if (work_waiting()) {
        hk_unlock(sched, my_cpu);
        return;
    }
    block_locked(HK_ST_RECV);
    reschedule_unlock();
}

static void send_deferred(void)
{
    if (!deferred.have)
        return;
    deferred.have = false;
    if (deferred.irq)
        hostkit_irq_ack(deferred.ch);
    else
        signal_peer(deferred.ch, true); /* seL4_NBSendRecv: the signal, then our receive */
}

static void event_loop(void)
{
    for (;;) {
        /* Given the CPU for a call or a notification (the direct cases of hostkit_call() and
         * signal_peer()), nothing else waited for us: the call is served before anything that
         * came after it; the notification is taken with whatever came after it. */
        uint64_t notes = 0;
        uint32_t why = given_why;
        given_why = 0;
        uint32_t call_ch = why - HK_WHY_CALL, note_ch = why - HK_WHY_NOTE;
        if (why >= HK_WHY_CALL && call_ch < HK_NCH && ctl->ch[call_ch].pp_in &&
            (atomic_load_explicit(&chan[call_ch]->call, memory_order_acquire) & HK_CALL_STATE) == HK_CALL_PENDING) {
            calls_waiting |= 1ull << call_ch;
        } else if (why >= HK_WHY_NOTE && note_ch < HK_NCH && ctl->ch[note_ch].kind == HK_CH_CHANNEL) {
            _Atomic uint32_t *flag = &chan[note_ch]->notify[ctl->ch[note_ch].end];
            if (atomic_load_explicit(flag, memory_order_acquire)) {
                atomic_store_explicit(flag, 0, memory_order_relaxed); /* its only writer waits now */
                notes = 1ull << note_ch;
            }
            if (work_waiting())
                notes |= take_notifications();
        } else {
            notes = take_notifications();
        }
        if (notes) {
            for (; notes; notes &= notes - 1) {
                microkit_channel ch = (microkit_channel)__builtin_ctzll(notes);
                trace_ev(HK_TR_NOTIFIED, ch, 0);
                uint64_t begin = handler_begin();
                notified(ch);
                hk_budget_check(begin, "notified", ch);
                trace_ev(HK_TR_END, ch, 0);
            }
            send_deferred();
            continue;
        }
        uint64_t faults = atomic_load(&ctl->child_faults);
        if (faults) {
            microkit_child child = (microkit_child)__builtin_ctzll(faults);
            atomic_fetch_and(&ctl->child_faults, ~(1ull << child));
            const struct hk_fault_msg *fm = &ctl->child_fault[child];
            uint32_t n = fm->count < 6 ? fm->count : 6;
            for (uint32_t k = 0; k < n; k++)
                hostkit_ipc_buffer.msg[k] = fm->mr[k];
            microkit_msginfo answer = seL4_MessageInfo_new(0, 0, 0, 0);
            microkit_msginfo info = seL4_MessageInfo_new(fm->label, 0, 0, n);
            trace_ev(HK_TR_FAULT, child, info.words[0]);
            seL4_Bool resume = fault(child, info, &answer);
            trace_ev(HK_TR_END, child, answer.words[0]);
            if (resume)
                request(HK_REQ_RESUME, child, "fault");
            continue;
        }
        if (calls_waiting) {
            microkit_channel ch = (microkit_channel)__builtin_ctzll(calls_waiting);
            calls_waiting &= calls_waiting - 1;
            microkit_msginfo in = take_msg(chan[ch]);
            trace_ev(HK_TR_PROTECTED, ch, in.words[0]);
            uint64_t begin = handler_begin();
            microkit_msginfo out = protected(ch, in);
            hk_budget_check(begin, "protected", ch);
            trace_ev(HK_TR_END, ch, out.words[0]);
            reply_recv(ch, out);
            continue; /* the deferred signal, if any, waits for a receive without a reply */
        }
        send_deferred();
        recv_block();
    }
}

/* ---- faults: report to the monitor, give it the CPU, and die with the signal ---- */
static void on_fault(int sig, siginfo_t *si, void *uc_)
{
    ucontext_t *uc = uc_;
    hk_out_flush();
    struct hk_fault *f = &ctl->fault;
    f->signo = sig;
    f->code = si->si_code;
    f->addr = (uint64_t)(uintptr_t)si->si_addr;
#if defined(__x86_64__)
    f->ip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
    f->sp = (uint64_t)uc->uc_mcontext.gregs[REG_RSP];
#elif defined(__aarch64__)
    f->ip = uc->uc_mcontext.pc;
    f->sp = uc->uc_mcontext.sp;
#else
    (void)uc;
#endif
    hk_backtrace(f, uc);
    atomic_fetch_add(&f->seq, 1);
    /* Release the lock if the fault hit inside the scheduler, then hand the CPU to the monitor. */
    uint32_t expect = (uint32_t)self + 1;
    atomic_compare_exchange_strong(&sched->cpu[my_cpu].lock, &expect, 0);
    lock_cpu(my_cpu);
    block_locked(HK_ST_FAULTED);
    hk_switch_unlock(sched, my_cpu, HK_MAX_PDS, HK_FD_EVENT, -1, 0);
    if (ctl->parent >= 0) {
        /* The parent decides: resumed, we return and the instruction runs again, as on seL4;
         * restarted or stopped, the monitor ends this process. */
        uint32_t v;
        while ((v = atomic_load(&f->verdict)) == HK_VERDICT_NONE)
            syscall(SYS_futex, &f->verdict, FUTEX_WAIT, v, NULL, NULL, 0);
        atomic_store(&f->verdict, HK_VERDICT_NONE);
        wait_cpu();
        return;
    }
    signal(sig, SIG_DFL);
    raise(sig);
    _exit(128 + sig);
}

static void on_exit_hook(void) { hk_out_flush(); }

static void *map_fd(int fd, size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        fprintf(stderr, "hostkit: PD cannot map its kernel objects (fd %d): %s\n", fd, strerror(errno));
        _exit(120);
    }
    close(fd);
    return p;
}

int main(int argc, char **argv)
{
    (void)argc;
    ctl = map_fd(HK_FD_CTL, sizeof *ctl);
    if (ctl == NULL || ctl->magic != HK_MAGIC) {
        fprintf(stderr, "%s: this is a hostkit PD image; run it with `hostkit run SYSTEM`\n", argv[0]);
        return 2;
    }
    if (ctl->layout != HK_LAYOUT) {
        fprintf(stderr, "hostkit: PD '%s' was built with another libhostkit than this hostkit's; rebuild it\n",
                ctl->name);
        return 2;
    }
    sched = map_fd(HK_FD_SCHED, sizeof *sched);
    for (int i = 0; i < HK_NCH; i++)
        if (ctl->ch[i].kind == HK_CH_CHANNEL)
            chan[i] = map_fd(ctl->ch[i].fd, sizeof(struct hk_chan));
    self = ctl->self;
    for (int i = 0; i < ctl->npds && i < HK_MAX_PDS; i++)
        same_prio[i] = hk_same_prio(ctl->prio, (unsigned)ctl->npds, i);
    my_cpu = ctl->cpu_of[self];
    hk_image_setup(ctl);
    if (ctl->timer_vaddr)
        timer = (struct hk_timer_regs *)(uintptr_t)ctl->timer_vaddr;
    memcpy(microkit_name, ctl->name, sizeof microkit_name);
    microkit_name[sizeof microkit_name - 1] = 0;
    microkit_notifications = ctl->notifications;
    microkit_pps = ctl->pps;
    microkit_irqs = ctl->irqs;

    struct sigaction sa = {0};
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    static char alt_stack[1 << 16];
    stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack};
    sigaltstack(&ss, NULL);
    int fault_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};
    for (size_t i = 0; i < sizeof fault_signals / sizeof *fault_signals; i++)
        sigaction(fault_signals[i], &sa, NULL);
    atexit(on_exit_hook);

    if (ctl->trace) {
        trace = mmap(NULL, HK_TRACE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, ctl->trace_fd, 0);
        if (trace == MAP_FAILED)
            trace = NULL;
        close(ctl->trace_fd);
    }
    log_ipc = ctl->log != 0;

    if (ctl->sandbox && hostkit_sandbox_enter() < 0) {
        fprintf(stderr, "hostkit: PD '%s' cannot enter the sandbox: %s\n", ctl->name, strerror(errno));
        _exit(123);
    }
    hk_budget_start(ctl->budget_ns);
    wait_cpu();
    trace_ev(HK_TR_INIT, 0, 0);
    uint64_t begin = handler_begin();
    init();
    hk_budget_check(begin, "init", 0);
    hk_budget_init_done();
    trace_ev(HK_TR_END, 0, 0);
    event_loop();
}
