/* ipc.c — seL4's IPC system calls as a Microkit PD makes them: Signal and Send on notifications,
 * Call on endpoints, Recv, ReplyRecv and NBSendRecv on the thread's own endpoint with its reply
 * object (seL4 manual, "System Calls" and "Notifications"; MCS variants, as Microkit builds seL4).
 *
 * A channel is memory of its two PDs only (kobj.h): each direction its sender may notify on has
 * a signal page only that sender writes (struct hk_signal), and a channel with a pp end has a call
 * slot (struct hk_call: msginfo and message registers). A right the system description does not
 * give is memory the PD does not hold, and a receiver reads only what its own read-only
 * configuration says the peer may send: a notification on a notify="false" direction or a call
 * from an end without pp="true" has nowhere to come from. A receive delivers, as
 * seL4 delivers to a thread whose notification is bound to its endpoint: pending signals first,
 * as one badge (a bit per channel, the notification's badge), then a child's fault (badged
 * bit 62 | child id), then one waiting call (bit 63 | channel id), whose reply the reply object
 * then holds.
 *
 * The path of one ppcall: microkit_ppcall() (include/microkit.h) -> seL4_Call() here, which fills
 * the channel page and hands the CPU to the callee -> the callee's seL4_ReplyRecv()/seL4_Recv()
 * here returns the call to libmicrokit's loop (src/libmicrokit/main.c), which runs protected() ->
 * its next seL4_ReplyRecv() fills the page and makes the caller runnable. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kernel/host.h"
#include "kernel/cpu.h"
#include "kernel/cspace.h"

#define BADGE_FAULT (1ull << 62)
#define BADGE_ENDPOINT (1ull << 63)

seL4_IPCBuffer hk_ipc_buffer;

static uint64_t calls_waiting; /* channels whose call slot we saw pending, not yet served */

/* The reply object: what the last receive delivered that waits for an answer (REPLY_TEST: the
 * control channel's ppcall, kobj.h's struct hk_test_call). */
enum { REPLY_NONE = 0, REPLY_CALL, REPLY_FAULT, REPLY_TEST };
static struct {
    uint8_t kind;
    uint8_t id; /* channel id of the call, or child id of the fault */
} reply_to;

/* ---- messages ---- */
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
static void put_msg(struct hk_call *page, seL4_Word info)
{
    copy_mrs(page->mr, hk_ipc_buffer.msg, info);
    page->msginfo = msg_clamped(info);
}

/* The message on a channel page into our IPC buffer; its msginfo, as delivered. The page is
 * shared: its length is clamped, nothing else on it is trusted. */
static seL4_MessageInfo_t take_msg(const struct hk_call *page)
{
    seL4_MessageInfo_t info = {{msg_clamped(page->msginfo)}};
    copy_mrs(hk_ipc_buffer.msg, page->mr, info.words[0]);
    return info;
}

/* The send phase of Send, NBSend and NBSendRecv: a signal on a notification, an IRQ handler's
 * acknowledgement (the label IRQAckIRQ: libmicrokit's deferred IRQ ack), a message to the monitor
 * (label 0: "now passive"). Refused invocations say so (decode.c); their errors have nobody to go
 * to, as a Send gets no reply; only BLOCKING, an address outside the CSpace is a fault. */
static void send(seL4_CPtr dest, seL4_MessageInfo_t info, bool blocking, bool then_block)
{
    unsigned id;
    enum hk_cap kind = hk_cap_lookup(dest, &id);
    switch (kind) {
    case HK_CAP_NOTIFICATION:
        hk_signal_channel(id, then_block);
        return;
    case HK_CAP_IRQ:
        if (seL4_MessageInfo_get_label(info) == IRQAckIRQ)
            hk_irq_ack(id);
        else
            hk_illegal_operation(kind);
        return;
    case HK_CAP_MONITOR:
        hk_request(seL4_MessageInfo_get_label(info) == 0 ? HK_REQ_PASSIVE : HK_REQ_MONITOR_MSG, 0,
                   seL4_MessageInfo_get_label(info));
        return;
    case HK_CAP_NULL:
    case HK_CAP_INVALID:
        hk_no_cap(dest, kind, blocking);
        return;
    case HK_CAP_ENDPOINT: /* a Send on an endpoint would be a one-way message: Microkit has none */
    case HK_CAP_TCB:
    case HK_CAP_SCHED_CONTEXT:
    case HK_CAP_IOPORT:
    case HK_CAP_SMC:
    case HK_CAP_INPUT:
    case HK_CAP_VSPACE:
    case HK_CAP_REPLY:
        hk_illegal_operation(kind);
        return;
    }
}

void seL4_Signal(seL4_CPtr dest) { send(dest, seL4_MessageInfo_new(0, 0, 0, 0), true, false); }
void seL4_Send(seL4_CPtr dest, seL4_MessageInfo_t msgInfo) { send(dest, msgInfo, true, false); }
void seL4_NBSend(seL4_CPtr dest, seL4_MessageInfo_t msgInfo) { send(dest, msgInfo, false, false); }

/* ---- calls ---- */
static seL4_MessageInfo_t call(unsigned ch, seL4_MessageInfo_t msginfo)
{
    const struct hk_ch_cfg *c = &hk_cfg->ch[ch];
    struct hk_call *page = hk_call[ch];
    struct hk_pd_sched *me = &hk_sched->pd[hk_self];
    hk_trace_ev(HK_TR_CALL, ch, msginfo.words[0]);

    /* Block in the call and make the callee runnable; being of higher priority, it runs next.
     * We go on once the reply has made us runnable and we have been given the CPU back. When the
     * callee waits in receive on our CPU (then nothing else waits for it: seL4's fastpath case),
     * the CPU goes straight to it, said on the page (HK_CALL_DIRECT) and in the hand-over word;
     * otherwise the call waits on the page until the callee next receives, and the hint tells it
     * where to look. */
    me->call_ch = ch;
    atomic_store_explicit(&me->call_to, c->peer, memory_order_relaxed);
    if (hk_cfg->cpu_of[c->peer] == hk_cpu) {
        hk_lock_cpu(hk_cpu);
        hk_block_locked(HK_ST_CALL);
        bool receiving = hk_ready_locked(c->peer, HK_ST_RECV, true);
        int next = hk_pick(hk_sched, hk_cpu, hk_cfg->prio);
        bool direct = receiving && next == c->peer;
        /* the message in one burst, right before the hand-over: the callee watches this line */
        put_msg(page, msginfo.words[0]);
        atomic_store_explicit(&page->call, HK_CALL_PENDING | (direct ? HK_CALL_DIRECT : 0), memory_order_release);
        if (!direct)
            atomic_fetch_or(&hk_sched->pd[c->peer].hint, 1ull << c->peer_ch);
        hk_switch_unlock(hk_sched, hk_cpu, next, HK_FD_EVENT, hk_self, direct ? HK_WHY_CALL + c->peer_ch : 0);
        hk_wait_cpu_watching(&page->call, HK_CALL_REPLIED | HK_CALL_DIRECT, ch);
    } else {
        put_msg(page, msginfo.words[0]);
        atomic_store_explicit(&page->call, HK_CALL_PENDING, memory_order_release);
        atomic_fetch_or(&hk_sched->pd[c->peer].hint, 1ull << c->peer_ch);
        hk_lock_cpu(hk_cpu);
        hk_block_locked(HK_ST_CALL);
        hk_unlock(hk_sched, hk_cpu);
        hk_ready(c->peer, HK_ST_RECV, true); /* on its own CPU (--smp) */
    }
    for (;;) {
        uint32_t st = atomic_load_explicit(&page->call, memory_order_acquire);
        if (st == (HK_CALL_REPLIED | HK_CALL_DIRECT) || (st == HK_CALL_REPLIED && hk_have_cpu()))
            break;
        hk_lock_cpu(hk_cpu);
        hk_reschedule_unlock();
    }
    seL4_MessageInfo_t answer = take_msg(page);
    atomic_store_explicit(&page->call, HK_CALL_IDLE, memory_order_relaxed);
    hk_trace_ev(HK_TR_RETURN, ch, answer.words[0]);
    return answer;
}

/* Call on an endpoint is a ppcall; on a notification it signals, whatever the label; on the other
 * objects it invokes the method its label names (tcb.c and irq.c have them as functions too). A
 * refused invocation's error comes back as the reply's label (decode.c). */
seL4_MessageInfo_t seL4_Call(seL4_CPtr dest, seL4_MessageInfo_t msgInfo)
{
    unsigned id;
    enum hk_cap kind = hk_cap_lookup(dest, &id);
    if (__builtin_expect(kind == HK_CAP_ENDPOINT, 1))
        return call(id, msgInfo);
    seL4_Error err = seL4_NoError;
    seL4_Word label = seL4_MessageInfo_get_label(msgInfo);
    if (kind == HK_CAP_NOTIFICATION)
        hk_signal_channel(id, false);
    else if (kind == HK_CAP_NULL || kind == HK_CAP_INVALID)
        err = hk_no_cap(dest, kind, true);
    else if (kind == HK_CAP_TCB && label == TCBSuspend)
        err = seL4_TCB_Suspend(dest);
    else if (kind == HK_CAP_TCB && label == TCBResume)
        err = seL4_TCB_Resume(dest);
    else if (kind == HK_CAP_IRQ && label == IRQAckIRQ)
        err = seL4_IRQHandler_Ack(dest);
    else
        err = hk_illegal_operation(kind);
    return seL4_MessageInfo_new(err, 0, 0, 0);
}

/* ---- replies ---- */
/* True if something waits for us: a hint, a child's fault, a deliverable IRQ, the control
 * channel's ppcall. */
static bool work_waiting(void)
{
    return atomic_load(&hk_sched->pd[hk_self].hint) || atomic_load(&hk_ctl->child_faults) ||
           (atomic_load(&hk_ctl->irq_pending) & ~atomic_load(&hk_ctl->irq_masked)) ||
           atomic_load(&hk_ctl->test_call.state) == HK_TEST_PENDING;
}

/* The reply to a call: it makes the caller runnable and, unless something else waits for us, we
 * block in receive in the same step, so the CPU goes straight to the caller if it is now the
 * highest runnable PD. */
static void reply_call(unsigned ch, seL4_MessageInfo_t msginfo)
{
    const struct hk_ch_cfg *c = &hk_cfg->ch[ch];
    struct hk_call *page = hk_call[ch];
    if (hk_cfg->cpu_of[c->peer] != hk_cpu) {
        put_msg(page, msginfo.words[0]);
        atomic_store(&page->call, HK_CALL_REPLIED);
        hk_ready(c->peer, HK_ST_CALL, true);
        return;
    }
    hk_lock_cpu(hk_cpu);
    hk_ready_locked(c->peer, HK_ST_CALL, true);
    bool stay = calls_waiting || work_waiting();
    int next = -1;
    if (!stay) {
        hk_block_locked(HK_ST_RECV);
        next = hk_pick(hk_sched, hk_cpu, hk_cfg->prio);
    }
    /* the reply in one burst, right before the hand-over: the caller watches this line */
    put_msg(page, msginfo.words[0]);
    atomic_store_explicit(&page->call, HK_CALL_REPLIED | (next == c->peer ? HK_CALL_DIRECT : 0),
                          memory_order_release);
    if (stay) {
        hk_unlock(hk_sched, hk_cpu);
        return;
    }
    hk_switch_unlock(hk_sched, hk_cpu, next, HK_FD_EVENT, hk_self, 0);
    /* the likeliest next event: the same caller again */
    hk_wait_cpu_watching(&page->call, HK_CALL_PENDING | HK_CALL_DIRECT, ch);
}

/* The reply to a child's fault resumes it as seL4's handleFaultReply decides: a VM fault or a
 * capability fault always; a user exception or an unknown syscall only with label 0 (otherwise the
 * child stays suspended). */
static void reply_fault(unsigned child, seL4_MessageInfo_t msginfo)
{
    uint64_t fault_label = hk_ctl->child_fault[child].label;
    bool resume = seL4_MessageInfo_get_label(msginfo) == 0 ||
                  (fault_label != seL4_Fault_UserException && fault_label != seL4_Fault_UnknownSyscall);
    hk_request(resume ? HK_REQ_FAULT_RESUME : HK_REQ_FAULT_END, HK_TCB_CHILD + child, 0);
}

/* The reply to the control channel's ppcall goes back on the control page; the event fd tells
 * the monitor. Nobody in the system waits for it, so nothing else changes. */
static void reply_test(seL4_MessageInfo_t msginfo)
{
    struct hk_test_call *t = &hk_ctl->test_call;
    hk_out_flush(); /* what protected() printed comes before the reply */
    copy_mrs(t->mr, hk_ipc_buffer.msg, msginfo.words[0]);
    t->msginfo = msg_clamped(msginfo.words[0]);
    atomic_store_explicit(&t->state, HK_TEST_REPLIED, memory_order_release);
    uint64_t one = 1;
    if (hk_sys_write(HK_FD_EVENT, &one, sizeof one) < 0) {
        /* the monitor is gone: nobody to reply to */
    }
}

static void reply(seL4_MessageInfo_t msginfo)
{
    unsigned kind = reply_to.kind, id = reply_to.id;
    reply_to.kind = REPLY_NONE;
    if (kind == REPLY_CALL)
        reply_call(id, msginfo);
    else if (kind == REPLY_FAULT)
        reply_fault(id, msginfo);
    else if (kind == REPLY_TEST)
        reply_test(msginfo);
}

/* ---- receiving ---- */
/* Channels with a notification for us; calls waiting are noted in calls_waiting. The hint mask is
 * only where to look: the channel pages say what is really there. */
static uint64_t take_notifications(void)
{
    uint64_t hint = atomic_exchange(&hk_sched->pd[hk_self].hint, 0);
    uint64_t got = atomic_load(&hk_ctl->irq_pending) & ~atomic_load(&hk_ctl->irq_masked) & hk_cfg->irqs;
    if (got) {
        atomic_fetch_or(&hk_ctl->irq_masked, got);
        atomic_fetch_and(&hk_ctl->irq_pending, ~got);
    }
    for (; hint; hint &= hint - 1) {
        int b = __builtin_ctzll(hint);
        if (b >= HK_NCH) /* the fault hint, or garbage from another PD: nothing to look at */
            continue;
        const struct hk_signal *sig = hk_signal_in[b];
        if (sig) {
            struct hk_seen *seen = &hk_ctl->seen[b];
            uint32_t p = atomic_load_explicit(&sig->pending, memory_order_acquire);
            uint32_t d = atomic_load_explicit(&sig->delivered, memory_order_acquire);
            if (p != seen->pending || d != seen->delivered) {
                seen->pending = p;
                seen->delivered = d;
                got |= 1ull << b;
            }
        }
        if (hk_cfg->ch[b].pp_in && hk_call[b] &&
            (atomic_load(&hk_call[b]->call) & HK_CALL_STATE) == HK_CALL_PENDING)
            calls_waiting |= 1ull << b;
    }
    return got;
}

/* The signal WAKE (HK_WAKE_*) says woke us, if our channel page or IRQ state confirms it: its
 * badge bit, or 0. */
static uint64_t woken_by(uint32_t wake)
{
    if (wake >= HK_WAKE_IRQ) {
        uint64_t bit = 1ull << ((wake - HK_WAKE_IRQ) % HK_NCH);
        if (!(atomic_load(&hk_ctl->irq_pending) & ~atomic_load(&hk_ctl->irq_masked) & hk_cfg->irqs & bit))
            return 0;
        atomic_fetch_or(&hk_ctl->irq_masked, bit);
        atomic_fetch_and(&hk_ctl->irq_pending, ~bit);
        return bit;
    }
    unsigned ch = wake - HK_WAKE_CH;
    if (!wake || ch >= HK_NCH || !hk_signal_in[ch])
        return 0;
    uint32_t d = atomic_load_explicit(&hk_signal_in[ch]->delivered, memory_order_acquire);
    if (d == hk_ctl->seen[ch].delivered)
        return 0;
    hk_ctl->seen[ch].delivered = d;
    return 1ull << ch;
}

/* Block until something arrives (unless it already has). */
static void recv_block(void)
{
    hk_lock_cpu(hk_cpu);
    if (work_waiting()) {
        hk_unlock(hk_sched, hk_cpu);
        return;
    }
    hk_block_locked(HK_ST_RECV);
    hk_reschedule_unlock();
}

/* The next event for this thread, blocking for it unless POLL. */
static seL4_MessageInfo_t receive(seL4_Word *badge, bool poll)
{
    for (;;) {
        /* Given the CPU for a call (the direct case of call()), nothing else waited for us: the
         * call is served before anything that came after it. Woken from our receive by a signal,
         * we get that signal alone, as seL4 hands it over; the others wait for our next
         * receive. Otherwise everything our notification word holds comes as one badge. */
        uint64_t notes = 0;
        uint32_t why = hk_given_why;
        hk_given_why = 0;
        uint32_t call_ch = why - HK_WHY_CALL;
        if (why >= HK_WHY_CALL && call_ch < HK_NCH && hk_cfg->ch[call_ch].pp_in && hk_call[call_ch] &&
            (atomic_load_explicit(&hk_call[call_ch]->call, memory_order_acquire) & HK_CALL_STATE) == HK_CALL_PENDING) {
            calls_waiting |= 1ull << call_ch;
        } else {
            /* the hand-over said which channel (the direct case), or the waker's wake word does */
            uint32_t wake = why >= HK_WHY_NOTE ? HK_WAKE_CH + (why - HK_WHY_NOTE) : 0;
            if (!wake && atomic_load_explicit(&hk_sched->pd[hk_self].wake, memory_order_relaxed))
                wake = atomic_exchange_explicit(&hk_sched->pd[hk_self].wake, 0, memory_order_relaxed);
            notes = woken_by(wake);
            if (!notes)
                notes = take_notifications();
        }
        if (notes) {
            *badge = notes;
            return seL4_MessageInfo_new(0, 0, 0, 0);
        }
        uint64_t faults = atomic_load(&hk_ctl->child_faults);
        if (faults) {
            unsigned child = (unsigned)__builtin_ctzll(faults);
            atomic_fetch_and(&hk_ctl->child_faults, ~(1ull << child));
            const struct hk_fault_msg *fm = &hk_ctl->child_fault[child];
            uint32_t n = fm->count < HK_FAULT_MRS ? fm->count : HK_FAULT_MRS;
            for (uint32_t k = 0; k < n; k++)
                hk_ipc_buffer.msg[k] = fm->mr[k];
            reply_to.kind = REPLY_FAULT;
            reply_to.id = (uint8_t)child;
            *badge = BADGE_FAULT | child;
            return seL4_MessageInfo_new(fm->label, 0, 0, n);
        }
        if (calls_waiting) {
            unsigned ch = (unsigned)__builtin_ctzll(calls_waiting);
            calls_waiting &= calls_waiting - 1;
            reply_to.kind = REPLY_CALL;
            reply_to.id = (uint8_t)ch;
            *badge = BADGE_ENDPOINT | ch;
            return take_msg(hk_call[ch]);
        }
        struct hk_test_call *t = &hk_ctl->test_call;
        if (atomic_load_explicit(&t->state, memory_order_acquire) == HK_TEST_PENDING) {
            /* the control channel's call, on a channel the monitor checked takes calls */
            unsigned ch = t->ch % HK_NCH;
            atomic_store(&t->state, HK_TEST_SERVING);
            hk_trace_ev(HK_TR_TEST_CALL, ch, t->msginfo);
            reply_to.kind = REPLY_TEST;
            reply_to.id = (uint8_t)ch;
            *badge = BADGE_ENDPOINT | ch;
            seL4_MessageInfo_t info = {{msg_clamped(t->msginfo)}};
            copy_mrs(hk_ipc_buffer.msg, t->mr, info.words[0]);
            return info;
        }
        if (poll) {
            *badge = 0;
            return seL4_MessageInfo_new(0, 0, 0, 0);
        }
        recv_block();
    }
}

/* Receiving is from the thread's own input capability only (a Microkit PD has no other endpoint
 * or notification to wait on); any other is a capability fault in the receive phase. */
static seL4_MessageInfo_t receive_on(seL4_CPtr src, seL4_Word *sender, bool poll)
{
    unsigned id;
    seL4_Word badge = 0;
    seL4_MessageInfo_t info = seL4_MessageInfo_new(0, 0, 0, 0);
    enum hk_cap kind = hk_cap_lookup(src, &id);
    if (__builtin_expect(kind == HK_CAP_INPUT, 1))
        info = receive(&badge, poll);
    else
        hk_cap_fault(src, true, kind == HK_CAP_INVALID ? seL4_InvalidRoot : seL4_MissingCapability);
    if (sender)
        *sender = badge;
    return info;
}

/* The reply object is the thread's own (HK_CPTR_REPLY): a Microkit PD has no other. */
seL4_MessageInfo_t seL4_Recv(seL4_CPtr src, seL4_Word *sender, seL4_CPtr reply_cap)
{
    (void)reply_cap;
    return receive_on(src, sender, false);
}

seL4_MessageInfo_t seL4_NBRecv(seL4_CPtr src, seL4_Word *sender, seL4_CPtr reply_cap)
{
    (void)reply_cap;
    return receive_on(src, sender, true);
}

void seL4_Wait(seL4_CPtr src, seL4_Word *sender) { (void)seL4_Recv(src, sender, 0); }
seL4_MessageInfo_t seL4_Poll(seL4_CPtr src, seL4_Word *sender) { return seL4_NBRecv(src, sender, 0); }

seL4_MessageInfo_t seL4_ReplyRecv(seL4_CPtr src, seL4_MessageInfo_t msgInfo, seL4_Word *sender,
                                  seL4_CPtr reply_cap)
{
    reply(msgInfo);
    return seL4_Recv(src, sender, reply_cap);
}

/* The deferred signal of libmicrokit: the signal, then our receive, in one kernel entry (the
 * woken PD is queued as for a waker that blocks). */
seL4_MessageInfo_t seL4_NBSendRecv(seL4_CPtr dest, seL4_MessageInfo_t msgInfo, seL4_CPtr src,
                                   seL4_Word *sender, seL4_CPtr reply_cap)
{
    send(dest, msgInfo, false, true);
    return seL4_Recv(src, sender, reply_cap);
}

/* Yield: to the other runnable threads of our priority (we go to the tail of our queue). */
void seL4_Yield(void)
{
    hk_lock_cpu(hk_cpu);
    hk_block_locked(HK_ST_RUNNABLE);
    hk_make_runnable(hk_sched, hk_cpu, hk_self, false, hk_same_prio_of[hk_self]);
    hk_reschedule_unlock();
}

/* Forgets what the thread was receiving and replying to: a restart starts it afresh (tcb.c). */
void hk_ipc_reset(void)
{
    calls_waiting = 0;
    reply_to.kind = REPLY_NONE;
    hk_given_why = 0;
    /* a signal handed to us as a badge was in our registers: a restart loses it */
    atomic_store(&hk_sched->pd[hk_self].wake, 0);
    for (unsigned ch = 0; ch < HK_NCH; ch++)
        if (hk_signal_in[ch])
            hk_ctl->seen[ch].delivered = atomic_load(&hk_signal_in[ch]->delivered);
}
