/* kobj.h — hostkit's "kernel objects": the shared-memory layout that the monitor and every PD's
 * libhostkit agree on, and the scheduler both of them run.
 *
 * Kinds of memory (each a memfd, handed out by the monitor at fork; every one sealed against
 * shrinking, so no holder can pull pages from under the others):
 *  - struct hk_sched: one for the system, mapped by every PD. Who runs, who is runnable, and each
 *    PD's doorbell (a futex) and hint mask. It carries no message content: a PD that scribbles on
 *    it can disturb scheduling (as a spinning PD could) but cannot forge a notification or a call,
 *    since a receiver only trusts what it finds on its own channel pages. The monitor checks it
 *    (monitor_watch.c) and reports what a PD wrote over it.
 *  - struct hk_signal: one per direction of a channel whose sender may notify (notify="true"),
 *    writable by that sender alone and readable by the receiver: the only memory a notification
 *    lives in, so a PD without the right has nothing to write one into.
 *  - struct hk_call: one per channel with a pp="true" end, mapped by its two PDs: the ppcall slot
 *    (msginfo and message registers). The callee accepts a call only where its configuration
 *    says the peer may call it.
 *  - struct hk_cfg: one per PD, read-only to it (sealed before the PD exists: no writable mapping
 *    of it can ever be made but the monitor's): its configuration — channels, rights, children,
 *    capabilities, priorities, CPUs, setvars, the sandbox filter.
 *  - struct hk_ctl: one per PD, shared only between that PD and the monitor, written by both: IRQs
 *    raised and acknowledged, fault reports, requests, restarts. The monitor re-checks everything
 *    it reads there against its own copy of the system.
 *
 * Scheduling follows single-core seL4 (DESIGN §1): exactly one PD holds the CPU (sched->cpu[c]
 * .hand); the holder hands it over at every point where seL4 would reschedule, to the
 * highest-priority runnable PD, the head of its priority's queue (where seL4 would queue it: see
 * docs/semantics.md and `stamp`). PD indices are ordered by priority,
 * highest first, so "highest runnable" is the lowest set bit of the runnable mask. */
#ifndef HOSTKIT_KOBJ_H
#define HOSTKIT_KOBJ_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define HK_MAX_PDS 64
#define HK_MAX_CPUS 64
#define HK_NCH 62
#define HK_MAGIC 0x686f73746b697431ull /* "hostkit1" */

/* File descriptors a PD process starts with (0 is /dev/null, 1 and 2 the monitor's). Its event fd
 * is its own: it rings the monitor and nobody else reads it. Channel pages follow from
 * HK_FD_CHAN0 on (struct hk_ch_cfg says which is which), then its regions and trace buffer. */
enum { HK_FD_CFG = 3, HK_FD_CTL = 4, HK_FD_SCHED = 5, HK_FD_OUT = 6, HK_FD_EVENT = 7, HK_FD_CHAN0 = 8 };

/* A PD's state, as the scheduler sees it. */
enum hk_state {
    HK_ST_INIT = 0,   /* has not run init yet (runnable) */
    HK_ST_RUNNABLE,   /* has something to do, or was preempted */
    HK_ST_RECV,       /* blocked waiting for notifications or calls */
    HK_ST_CALL,       /* blocked in a ppcall, waiting for the reply */
    HK_ST_FAULTED,    /* stopped by a fault, until its parent or the monitor decides */
    HK_ST_STOPPED,    /* stopped by its parent */
    HK_ST_DEAD,       /* its process is gone */
};

struct hk_pd_sched {
    _Alignas(64) _Atomic uint32_t doorbell; /* futex word, bumped on a hand-over to it while it sleeps */
    _Atomic uint32_t sleeping;  /* 1 while the PD sleeps on doorbell (or is not yet running again) */
    _Atomic uint64_t hint;      /* channel ids that may have something for this PD (a hint only) */
    int64_t stamp;              /* position in its priority's queue (head insertion: smaller) */
    _Atomic int32_t call_to;    /* while in HK_ST_CALL: the callee's index (for reports) */
    uint32_t call_ch;           /* ... and the caller's channel id */
    _Atomic uint32_t wake;      /* HK_WAKE_*: the signal that woke it from receive (a hint, checked
                                   against its channel page or IRQ state), written with the lock */
};
/* A signal to a thread waiting in receive is handed to it at once, as its badge (seL4's
 * sendSignal to a waiting thread); signals after it, before it next receives, wait in its
 * notification word and come with the receive after (struct hk_signal). */
#define HK_WAKE_CH 1u      /* + the receiver's channel id */
#define HK_WAKE_IRQ 0x100u /* + its IRQ channel id */

/* A CPU's hand-over word (struct hk_cpu.hand), one 64-bit atomic so that it changes in one step:
 *   bits  0-15  the PD holding the CPU (HK_IDLE when idle, HK_MAX_PDS for the monitor)
 *   bits 16-31  the PD holding this CPU's spin slot, waiting for the CPU without sleeping (HK_IDLE)
 *               (written only with the CPU's lock held)
 *   bits 32-47  why the holder was given the CPU: HK_WHY_CALL + ch for a ppcall on its channel
 *               ch, HK_WHY_NOTE + ch for a notification on it (a hint, checked against the
 *               channel page; the waker then set no hint bit), else 0
 * A giver that hands the CPU to the spinner takes its slot over in the same step, so a hand-over
 * between two spinning PDs writes this one word and no other shared line. */
#define HK_IDLE 0xffffu
#define HK_WHY_CALL 1u
#define HK_WHY_NOTE 64u
static inline uint64_t hk_hand(uint32_t holder, uint32_t spinner, uint32_t why)
{
    return (uint64_t)(holder & 0xffffu) | (uint64_t)(spinner & 0xffffu) << 16 | (uint64_t)(why & 0xffffu) << 32;
}
static inline int hk_hand_holder(uint64_t w) { return (w & 0xffffu) == HK_IDLE ? -1 : (int)(w & 0xffffu); }
static inline int hk_hand_spinner(uint64_t w) { return (w >> 16 & 0xffffu) == HK_IDLE ? -1 : (int)(w >> 16 & 0xffffu); }
static inline uint32_t hk_hand_why(uint64_t w) { return (uint32_t)(w >> 32 & 0xffffu); }

/* Everything a hand-over reads and writes under the lock is in the lock's own cache line: taking
 * the lock brings it all to the core in one transfer. */
struct hk_cpu {
    _Alignas(64) _Atomic uint32_t lock;      /* 0 free, else holder index + 1 (monitor: HK_MAX_PDS + 1) */
    _Atomic uint64_t runnable;  /* bit i: PD i is runnable on this CPU */
    int64_t head, tail;         /* stamps for head / tail insertion */
    _Atomic uint64_t state[4];  /* enum hk_state of the CPU's PDs, 4 bits each: PD i in nibble i % 16
                                   of state[i / 16] (written with the lock held) */
    /* On a line of its own: waiting PDs poll it, and the holder's lock and queue writes must not
     * pull that line away from them at each step of a hand-over. */
    _Alignas(64) _Atomic uint64_t hand; /* who holds this CPU, and who spins for it (hk_hand()) */
};

struct hk_sched {
    uint64_t magic;
    uint32_t npds, ncpus;
    uint32_t spin_limit;        /* how many spin slots there are (cores - 1) */
    _Alignas(64) _Atomic uint32_t spinners; /* spin slots taken, over all CPUs (own cache line) */
    struct hk_cpu cpu[HK_MAX_CPUS];
    struct hk_pd_sched pd[HK_MAX_PDS];
};

/* One direction of a channel's notifications (seL4's notification word of the receiver, for the
 * badge bit of this channel): two counters only its sender writes. A signal handed at once to a
 * receiver waiting in receive, as its badge, bumps DELIVERED; one that waits in the notification
 * word bumps PENDING. The receiver keeps what it has taken (hk_ctl.seen): a counter that moved is
 * a signal, however many came (signals coalesce, as on seL4). */
struct hk_signal {
    _Atomic uint32_t pending;
    _Atomic uint32_t delivered;
};

/* Call slot states of a channel. */
enum { HK_CALL_IDLE = 0, HK_CALL_PENDING = 1, HK_CALL_REPLIED = 2 };
/* Or'ed into PENDING or REPLIED by a writer that hands the CPU to the reader in the same kernel
 * entry (seL4's fastpath case): the reader, which watches this line while it waits, needs no
 * other line to know the CPU is its own. The writer sets it, after the message, under the CPU's
 * lock and just before the hand-over word, so the reader may start while the writer finishes the
 * hand-over; the reader's next kernel entry waits for the lock, and by then the word says the
 * same. (A PD writing it falsely on its own page only disturbs scheduling, as one scribbling on
 * the scheduler page can: docs/security.md.) */
#define HK_CALL_DIRECT 4u
#define HK_CALL_STATE 3u

struct hk_call {
    _Atomic uint32_t call;      /* HK_CALL_*; the caller is the end with pp="true" */
    uint32_t pad;
    uint64_t msginfo;           /* the call's msginfo, then the reply's */
    uint64_t mr[120];           /* message registers of the call, then of the reply */
};

/* What a PD's channel id is bound to. */
enum hk_ch_kind { HK_CH_NONE = 0, HK_CH_CHANNEL, HK_CH_IRQ };

struct hk_ch_cfg {
    uint8_t kind;               /* enum hk_ch_kind */
    uint8_t notify_out;         /* this PD may notify the peer (its end's notify="true") */
    uint8_t notify_in;          /* the peer may notify this PD */
    uint8_t pp_out;             /* this PD may call through it */
    uint8_t pp_in;              /* the peer may call this PD through it */
    int32_t peer;               /* peer PD index */
    uint32_t peer_ch;           /* the channel id at the peer's end */
    int32_t fd_out;             /* the signal page it writes (notify_out), HK_FD_CHAN0 + n, or -1 */
    int32_t fd_in;              /* the signal page it reads (notify_in; read-only), or -1 */
    int32_t fd_call;            /* the call slot (a pp end on the channel), or -1 */
};

/* A fault, written by the faulting thread's kernel (kernel/fault.c) for the monitor: the seL4
 * fault message (label and registers, as the parent's fault() receives it) and what the host saw. */
#define HK_FAULT_MRS 8
#define HK_FAULT_REGS 20
struct hk_fault {
    _Atomic uint32_t seq;       /* bumped when a new fault is reported */
    int32_t signo, code;        /* the host's signal and si_code; 0 for a fault the kernel raised */
    uint64_t label;             /* seL4_Fault_* (MCS numbering) */
    uint32_t count;             /* message registers */
    uint64_t mr[HK_FAULT_MRS];
    uint64_t addr, ip, sp;
    uint64_t regs[HK_FAULT_REGS];  /* seL4_UserContext's order (x86-64: rip, rsp, rflags, rax, ...) */
    char what[48];              /* an UnknownSyscall fault: the call a host cannot serve */
    _Atomic uint32_t verdict;   /* HK_VERDICT_*: the monitor's answer to a PD with a parent */
    uint32_t nframes;           /* return addresses, innermost first (frame-pointer walk) */
    uint64_t base;              /* the image's load address, to make them link-time addresses */
    uint64_t frames[16];
};
enum { HK_VERDICT_NONE = 0, HK_VERDICT_RESUME = 1, HK_VERDICT_RESTART = 2 };

/* A fault message as the parent's fault() receives it (seL4 fault label and registers). */
struct hk_fault_msg {
    uint64_t label;
    uint32_t count;
    uint64_t mr[HK_FAULT_MRS];
};

/* A memory region mapped into this PD, and a variable to set before init. */
#define HK_MAX_MAPS 64
#define HK_MAX_SETVARS 64
struct hk_map_cfg {
    uint64_t vaddr, size;
    uint32_t perms;             /* SDF_PERM_* */
    int32_t fd;
    char mr[64];
    uint32_t trap;              /* a trapped device's registers: mapped without access, each access
                                   served by the monitor (kernel/mmio.c, HK_REQ_MMIO) */
};
struct hk_setvar_cfg {
    uint64_t addr;              /* link-time address of the symbol */
    uint64_t value;
    uint32_t size;              /* bytes to write: at most 8 of VALUE, or the PD's name */
    uint32_t readonly;          /* in a read-only section: unprotect the page to write it */
    uint32_t name;              /* write the PD's name (hk_ctl.name), not VALUE */
};
/* An I/O port capability (x86 <ioport>): the ports it covers. */
#define HK_MAX_IOPORTS 64
struct hk_ioport_cfg {
    uint64_t addr, size;
};
/* What each slot of a PD's <cspace> element holds (kernel/cspace.h). */
#define HK_CSPACE_SLOTS 64
enum { HK_CSLOT_NONE = 0, HK_CSLOT_TCB, HK_CSLOT_SC };

/* Trace (hostkit run --trace): each PD appends events to its own buffer, shared only with the
 * monitor, which pairs them into flows and writes the Chrome trace at the end. */
enum hk_trace_type {
    HK_TR_INIT = 1,     /* handler slices begin: init() */
    HK_TR_NOTIFIED,     /* notified(ch) */
    HK_TR_PROTECTED,    /* protected(ch) with the call's label and count */
    HK_TR_FAULT,        /* fault(child) with the fault label */
    HK_TR_END,          /* the handler returned (for protected: the reply's label and count) */
    HK_TR_NOTIFY,       /* microkit_notify(ch) */
    HK_TR_CALL,         /* microkit_ppcall(ch) sent, with label and count */
    HK_TR_RETURN,       /* the ppcall's reply arrived, with label and count */
    HK_TR_IRQ_ACK,      /* microkit_irq_ack(ch) */
    HK_TR_TEST_CALL,    /* the next protected(ch) serves the control channel's ppcall (not a PD's) */
};
struct hk_trace_ev {
    uint64_t ts;        /* CLOCK_MONOTONIC, ns */
    uint32_t type, ch;
    uint64_t label;
    uint32_t count, pad;
};
struct hk_trace {
    _Atomic uint64_t n; /* events written */
    uint64_t cap;       /* room for this many */
    _Atomic uint64_t dropped;
    uint64_t pad;
    struct hk_trace_ev ev[];
};
#define HK_TRACE_BYTES (8u << 20)

/* Requests a PD's kernel makes of the monitor (kernel/tcb.c, irq.c), with a target (kernel/cspace.h:
 * HK_TCB_CHILD + child id or HK_TCB_SLOT + cspace slot; an ioport id) and an argument. */
#define HK_TCB_CHILD 0u    /* + the child's id */
#define HK_TCB_SLOT 0x100u /* + the <cspace> slot */
enum {
    HK_REQ_NONE = 0,
    HK_REQ_RESTART,           /* TCB_WriteRegisters + resume: start again at the entry (arg) */
    HK_REQ_RESTART_SUSPENDED, /* TCB_WriteRegisters without resume: so when next resumed */
    HK_REQ_SUSPEND,           /* TCB_Suspend */
    HK_REQ_RESUME,            /* TCB_Resume */
    HK_REQ_READ_REGS,         /* TCB_ReadRegisters: into req_regs */
    HK_REQ_READ_REGS_SUSPEND, /* ... suspending it */
    HK_REQ_FAULT_RESUME,      /* the reply to a child's fault: it runs again */
    HK_REQ_FAULT_END,         /* a reply to a fault that does not resume it (it stays suspended) */
    HK_REQ_PASSIVE,           /* a message to the monitor's endpoint with label 0 */
    HK_REQ_MONITOR_MSG,       /* ... with another label (arg) */
    HK_REQ_IOPORT_IN,         /* arg: port | bytes << 16; the value into req_regs[0] */
    HK_REQ_IOPORT_OUT,        /* arg: port | bytes << 16 | data << 32 */
    HK_REQ_DEVICE_SYNC,       /* a kernel entry of a PD with device_sync: the devices it maps sync */
    HK_REQ_MMIO,              /* target: the map; arg: offset | bytes << 56 | write << 63; the value
                                 written, then the value read, in req_regs[0] */
    HK_REQ_SMC,               /* seL4_ARM_SMC_Call: x0..x7 in req_regs, answered there by the
                                 board's firmware model (HK_NO_MODEL when the board has none) */
};
/* A request's result when the board has no model of what it asks for (an SMC on a board without a
 * firmware model): not a seL4_Error, the kernel layer then faults naming the call. */
#define HK_NO_MODEL 0x100

/* Fake extra hint bit: a child's fault is waiting for this PD. */
#define HK_HINT_FAULT 62

/* The control channel's ppcall into this PD (hostkit run --control, src/monitor/control.c): a
 * hidden caller end that the monitor owns, on the PD's control page. The monitor writes the call
 * (the PD's channel id, msginfo, message registers) and sets PENDING; the PD's receive delivers it
 * as a call on that channel, after the calls PDs made (SERVING); its reply comes back here
 * (REPLIED) and the event fd tells the monitor. */
enum { HK_TEST_IDLE = 0, HK_TEST_PENDING, HK_TEST_SERVING, HK_TEST_REPLIED };
struct hk_test_call {
    _Atomic uint32_t state;     /* HK_TEST_* */
    uint32_t ch;
    uint64_t msginfo;
    uint64_t mr[120];
};

/* The seccomp filter of --sandbox that libhostkit enters before init (kernel/sandbox.c), as the
 * monitor compiled it (monitor_seccomp.c): classic BPF, struct sock_filter's 8 bytes each. */
#define HK_FILTER_MAX 512

/* A PD's configuration: read-only to the PD (kobj.h's top), written by the monitor only. */
struct hk_cfg {
    uint64_t magic;
    uint64_t layout;            /* HK_LAYOUT of the monitor: a PD built otherwise refuses to run */
    int32_t self, npds;
    char name[64];
    uint64_t notifications, pps, irqs, ioports;
    uint8_t prio[HK_MAX_PDS];   /* priorities of all PDs, by index (non-increasing) */
    uint32_t cpu_of[HK_MAX_PDS];
    uint32_t passive;
    uint32_t smp;               /* 1 when PDs run on their own CPUs (--smp) */
    struct hk_ch_cfg ch[HK_NCH];
    int32_t parent;             /* parent's index, -1 for a top-level PD */
    int32_t child_pd[HK_NCH];   /* index of the child with each id, -1 when none */
    uint32_t nmaps, nsetvars;
    uint32_t trace, log;        /* --trace, --log */
    uint32_t sandbox;           /* --sandbox: enter the filter below before init */
    uint32_t core_wait;         /* --core-dir: a fault without parent waits for the monitor's core */
    uint32_t coverage;          /* --coverage: SIGTERM writes the gcov counters (kernel/coverage.c) */
    char pd_names[HK_MAX_PDS][64]; /* every PD's name, by index (--log names the peer) */
    uint64_t budget_ns;         /* the PD's budget: a handler running longer is warned about */
    uint64_t boot_ns;           /* CLOCK_MONOTONIC at the system's start */
    uint32_t device_sync;       /* the PD maps a device's memory: HK_REQ_DEVICE_SYNC at each kernel
                                   entry, so the device sees what was written and refreshes what is
                                   read (docs/devices.md) */
    int32_t trace_fd;
    uint32_t smc;               /* the PD may make SMC calls */
    uint8_t cspace[HK_CSPACE_SLOTS]; /* HK_CSLOT_* of each slot of its <cspace> */
    struct hk_ioport_cfg ioport[HK_MAX_IOPORTS];
    struct hk_map_cfg maps[HK_MAX_MAPS];
    struct hk_setvar_cfg setvars[HK_MAX_SETVARS];
    uint32_t filter_len;        /* instructions of the sandbox filter; 0: none was compiled */
    uint64_t filter[HK_FILTER_MAX];
};

/* What a PD and the monitor write at run time (kobj.h's top). */
struct hk_ctl {
    _Atomic uint64_t irq_pending;   /* raised by the monitor, not yet delivered */
    _Atomic uint64_t irq_masked;    /* delivered and not yet acknowledged */
    struct hk_fault fault;          /* this PD's own fault */
    _Atomic uint64_t child_faults;  /* child ids whose fault waits for this PD */
    struct hk_fault_msg child_fault[HK_NCH];
    _Atomic uint32_t req_seq, ack_seq; /* a request to the monitor, and its answer */
    uint32_t req_op, req_target;
    uint64_t req_arg;
    int32_t req_result;             /* the request's seL4_Error, or HK_NO_MODEL */
    uint64_t req_regs[8];           /* what a request reads back (an SMC's x0..x7 both ways) */
    _Atomic uint32_t restart_seq;   /* bumped by the monitor to restart the thread (kernel/tcb.c) */
    uint64_t restart_entry;         /* ... at this address (the pc seL4_TCB_WriteRegisters set) */
    _Atomic uint32_t handler;       /* the handler running: HK_TR_INIT.. | id << 8, 0 between them */
    _Atomic uint32_t warnings;      /* budget overruns warned about (--strict fails on them) */
    struct hk_test_call test_call;  /* the control channel's ppcall (above) */
    /* The signals this PD has taken on each channel (struct hk_signal's counters as last seen):
     * kept here, not in the process, so a PD started again after its process ended takes what
     * the last one had not, as seL4 keeps a notification word across a restart. The monitor reads
     * them to find a receiver blocked with a signal waiting (monitor_watch.c). */
    _Alignas(64) struct hk_seen {
        uint32_t pending, delivered;
    } seen[HK_NCH];
};

/* The shapes of the shared structures: a PD image linked with another libhostkit than the monitor's
 * would read them wrongly, so both compare this first. */
#define HK_LAYOUT                                                                                    \
    (((uint64_t)sizeof(struct hk_cfg) << 44) ^ ((uint64_t)sizeof(struct hk_ctl) << 30) ^             \
     ((uint64_t)sizeof(struct hk_sched) << 16) ^ ((uint64_t)sizeof(struct hk_call) << 4) ^            \
     (uint64_t)sizeof(struct hk_signal) ^ ((uint64_t)sizeof(struct hk_trace_ev) << 58))

/* ---- scheduler (sched.c), run by PDs and by the monitor ---- */
void hk_lock(struct hk_sched *s, uint32_t cpu, uint32_t who);
/* The monitor's lock: never waits for ever on a PD (takes the lock after 50 ms). False if it had
 * to take it so (the state it guards may be half-written). */
bool hk_lock_monitor(struct hk_sched *s, uint32_t cpu, uint32_t who);
void hk_unlock(struct hk_sched *s, uint32_t cpu);
/* PD i's state (i on CPU cpu), and, with the lock held, setting it. */
static inline uint32_t hk_state(struct hk_sched *s, uint32_t cpu, int i)
{
    uint64_t w = atomic_load_explicit(&s->cpu[cpu].state[i / 16], memory_order_relaxed);
    return (uint32_t)(w >> (i % 16 * 4)) & 15u;
}
static inline void hk_set_state(struct hk_sched *s, uint32_t cpu, int i, uint32_t st)
{
    _Atomic uint64_t *w = &s->cpu[cpu].state[i / 16];
    unsigned sh = (unsigned)(i % 16) * 4;
    uint64_t v = atomic_load_explicit(w, memory_order_relaxed);
    atomic_store_explicit(w, (v & ~(15ull << sh)) | (uint64_t)(st & 15u) << sh, memory_order_relaxed);
}
/* The PDs of PD i's priority (indices are sorted by priority, so a contiguous range). */
uint64_t hk_same_prio(const uint8_t *prio, unsigned npds, int i);
/* With CPU's lock held: make PD i (of that CPU) runnable at the tail (or head) of its priority;
 * SAME_PRIO is hk_same_prio() of it. The CPU comes from the caller's own copy of the
 * configuration, never from the shared page. */
void hk_make_runnable(struct hk_sched *s, uint32_t cpu, int i, bool at_head, uint64_t same_prio);
/* With the lock held: the PD that should hold the CPU, or -1. */
int hk_pick(const struct hk_sched *s, uint32_t cpu, const uint8_t *prio);
/* The PD holding CPU, -1 when idle (HK_MAX_PDS: the monitor). */
static inline int hk_current(struct hk_sched *s, uint32_t cpu)
{
    return hk_hand_holder(atomic_load_explicit(&s->cpu[cpu].hand, memory_order_acquire));
}
/* With the lock held: give CPU to PD next (or idle it when next < 0), waking it, saying WHY
 * (HK_WHY_*, or 0); then unlock. GIVER is the PD that will wait for the CPU next, which takes
 * next's spin slot (or a free one), or -1 (the monitor, a faulting PD). */
void hk_switch_unlock(struct hk_sched *s, uint32_t cpu, int next, int event_fd, int giver, uint32_t why);
/* With CPU's lock held: frees its spin slot if PD i (whose process is gone) holds it. */
void hk_drop_spinner(struct hk_sched *s, uint32_t cpu, int i);
/* Wake PD i if it sleeps on its doorbell. */
void hk_ring(struct hk_sched *s, int i);

#endif
