/* kernel.h — what the files of the kernel layer's PD side share. Each PD process is one seL4
 * thread; this half of the kernel runs in it, on the shared objects of kobj.h:
 *   boot.c     the thread's start: its objects mapped, its address space, its CPU awaited
 *   thread_state.c  the thread's objects and who it is (the variables below): the bottom
 *   cpu.h/.c   holding the CPU and handing it over (seL4's scheduler, from the thread's side)
 *   cspace.h   the thread's capabilities: Microkit's CSpace layout, decoded
 *   ipc.c      endpoints and replies, and the system calls: Signal, Send, Call, Recv, ReplyRecv, ...
 *   notification.c  a signal on a notification: delivered as a badge, or left pending
 *   tcb.c      children's TCBs (suspend, resume, registers, restart), the monitor endpoint
 *   request.c  asking the monitor to act (a TCB method, a device access) and waiting for it
 *   irq.c      IRQ handlers and x86 I/O ports
 *   fault.c    faults: the host's signals as seL4 faults, capability faults, delivery
 *   mmio.c     trapped device registers: the faulting access decoded (mmio_decode.c) and served
 *   debug.c    seL4_DebugPutChar and friends, kept in order with the other PDs' output
 *   trace.c    --trace's events and --log's lines
 *   budget.c   warning about handlers that run past the PD's budget
 *   vspace.c   the address space: regions at their vaddr, setvars, stack bounds, backtraces
 *   sandbox.c  entering the seccomp filter of --sandbox, which the monitor compiled
 *   coverage.c --coverage: the gcov counters of a PD built with --coverage, written at the end
 *   host.h     the Linux calls it makes, by wrappers a PD's own libc-named functions cannot take over
 * Names the kernel exports start with hk_ or are seL4's own, so none can meet a PD's. */
#ifndef HOSTKIT_KERNEL_H
#define HOSTKIT_KERNEL_H

#include <sel4/sel4.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <ucontext.h>

#include "kernel/kobj.h"

/* ---- this thread and its objects (thread_state.c; boot.c sets them) ---- */
extern const struct hk_cfg *hk_cfg;   /* our configuration: read-only, the monitor's */
extern struct hk_ctl *hk_ctl;         /* shared with the monitor only */
extern struct hk_sched *hk_sched;     /* shared by all */
extern struct hk_call *hk_call[HK_NCH];          /* call slots (channels with a pp end), or NULL */
extern struct hk_signal *hk_signal_out[HK_NCH];  /* signals we send (we may notify), or NULL */
extern const struct hk_signal *hk_signal_in[HK_NCH]; /* signals we receive (the peer may), or NULL */
extern int hk_self;                   /* scheduler index */
extern uint32_t hk_cpu;               /* our CPU */
extern uint64_t hk_same_prio_of[HK_MAX_PDS];
extern seL4_IPCBuffer hk_ipc_buffer;  /* the thread's IPC buffer: where messages are transferred */
extern struct hk_trace *hk_trace;     /* NULL unless hostkit run --trace */
extern bool hk_log_ipc;               /* hostkit run --log */
extern char hk_name[64];              /* the PD's name, as the monitor gave it at the start */

/* The process's start, as the loader and seL4 start a Microkit PD's thread (libmicrokit's main
 * calls them; the kernel layer calls nothing above it): hk_boot (boot.c) maps the thread's objects,
 * builds its address space and waits to be given its CPU; hk_thread_start (boot.c) then runs ENTRY,
 * libmicrokit's start, and runs it again when a restart (seL4_TCB_WriteRegisters with resume)
 * names no address in the image's code. */
void hk_boot(int argc, char **argv);
void hk_thread_start(void (*entry)(void)) __attribute__((noreturn));

/* ---- clocks ---- */
static inline uint64_t hk_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}
/* A cheap clock for measuring handlers: the TSC where there is one. */
#if defined(__x86_64__)
static inline uint64_t hk_ticks(void) { return __builtin_ia32_rdtsc(); }
#else
static inline uint64_t hk_ticks(void) { return hk_now_ns(); }
#endif

/* ---- tracing (off: one branch per event); the types are kobj.h's HK_TR_* ---- */
void hk_trace_slow(uint32_t type, uint32_t ch, seL4_Word info);
/* HOSTKIT_NO_TRACE compiles the hooks out: `make bench` measures the ppcall against such a build
 * to show what the hooks cost with tracing off. */
static inline void hk_trace_ev(uint32_t type, uint32_t ch, seL4_Word info)
{
#ifdef HOSTKIT_NO_TRACE
    (void)type, (void)ch, (void)info;
#else
    if (__builtin_expect(hk_trace != NULL || hk_log_ipc, 0))
        hk_trace_slow(type, ch, info);
#endif
}

/* ---- notification.c ---- */
/* Signal the peer of our channel CH; THEN_BLOCK: we block in receive right after (NBSendRecv).
 * Nothing happens on a channel we may not notify: we hold no memory to signal it in. */
void hk_signal_channel(unsigned ch, bool then_block);

/* ---- ipc.c, for boot.c ---- */
/* Forgets what the thread was receiving and replying to (a restart). */
void hk_ipc_reset(void);

/* ---- request.c ---- */
/* Asks the monitor to act (HK_REQ_*) on child CHILD (or on us, for the monitor endpoint) and waits
 * for it to have done so; then a PD it made runnable may run first. Returns the monitor's answer. */
seL4_Error hk_request(uint32_t op, uint32_t child, uint64_t arg);
/* ... only asks and waits: for a request made on the way into the kernel (a device sync), where
 * the caller goes on to decide who runs. */
seL4_Error hk_request_only(uint32_t op, uint32_t child, uint64_t arg);

/* ---- irq.c ---- */
void hk_irq_ack(unsigned ch);

/* ---- fault.c ---- */
void hk_fault_setup(void);
/* ---- mmio.c: the devices the PD reaches through memory, taken from the control page at the
 *      start (hk_devices_sync: it syncs at kernel entries; the trapped maps); a fault on a trapped
 *      device's page, served (false when it is not one) ---- */
extern bool hk_devices_sync;
void hk_devices_setup(const struct hk_cfg *ctl);
bool hk_mmio_trap(siginfo_t *si, ucontext_t *uc);
/* The thread takes a capability fault on CPTR (seL4: a lookup that found no slot, in a blocking
 * call); with a parent, it waits for its fault() to decide. */
void hk_cap_fault(seL4_CPtr cptr, bool in_recv_phase, seL4_LookupFailureType why);
/* The thread makes a call a host cannot serve (an SMC, a VCPU method): an UnknownSyscall fault
 * naming it, in the monitor's report. */
void hk_unsupported_call(const char *what);

/* ---- debug.c ---- */
void hk_out_flush(void); /* writes out the buffered debug output (before this PD gives up its CPU) */
/* seL4's userError line for a call it refuses, as a debug kernel prints it. */
void hk_user_error(const char *function, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- handlers: libmicrokit says where each begins and ends (budget.c): a device the PD maps
 *      sees the kernel entry, the budget counts, --trace draws the slice. TYPE is HK_TR_INIT,
 *      HK_TR_NOTIFIED, HK_TR_PROTECTED or HK_TR_FAULT; ID the channel or child. ---- */
uint64_t hk_handler_begin(uint32_t type, unsigned id, seL4_Word info);
void hk_handler_end(uint64_t begin, uint32_t type, unsigned id, seL4_Word info);

/* ---- budget.c ---- */
void hk_budget_start(uint64_t budget_ns); /* before init, which is measured precisely */
void hk_budget_init_done(void);           /* after init: the cheap check from now on */
uint64_t hk_budget_begin(void);           /* a handler starts; returns the time to pass on */
/* Between hk_budget_begin and hk_budget_check a handler runs: the time it waits without the CPU
 * (cpu.c) or for the monitor (request.c) is added up here, to be left out (thread_state.c). */
extern bool hk_budget_running;
extern uint64_t hk_budget_waited_ticks;
static inline void hk_budget_waited(uint64_t ticks) { hk_budget_waited_ticks += ticks; }
void hk_budget_check(uint64_t begin, const char *handler, unsigned ch);

/* ---- vspace.c ---- */
void hk_image_setup(const struct hk_cfg *cfg); /* regions and setvars, before init */
bool hk_in_image_code(uint64_t addr);          /* ADDR is in the image's executable segments */
void hk_backtrace(struct hk_fault *f, const ucontext_t *uc);

/* ---- sandbox.c: enters the filter the monitor compiled for this PD (hk_cfg->filter); 0, or -1
 *      with errno ---- */
int hostkit_sandbox_enter(void);

/* ---- coverage.c ---- */
void hk_coverage_setup(void);         /* before init: SIGTERM writes the counters and ends the PD */
void hk_coverage_exit(int status);    /* with --coverage: writes them and ends the PD now */

#endif
