/* fault.c — faults, as seL4 raises them (seL4 manual, "Faults"; MCS numbering, as Microkit builds
 * seL4): the host's signals become the seL4 fault the same event is on seL4 — a bad access a
 * VMFault (IP, address, instruction-fetch flag, status word: on x86-64 the page-fault error code,
 * as seL4 reports it there), an illegal instruction, a division by zero or a breakpoint a
 * UserException (IP, SP, flags, the exception's vector, code) — and a capability address outside
 * the PD's CSpace in a blocking call a CapFault. The faulting thread's kernel writes the fault
 * message into its control page and gives its CPU to the monitor, which delivers it to the
 * parent's fault() (as the fault endpoint's message) or reports it as Microkit's monitor does.
 * The thread then waits: resumed, it returns and the instruction runs again, as on seL4;
 * restarted, it starts again at its entry point (tcb.c). A fault without a parent ends the
 * process once the monitor has reported it (for a signal, with that signal, so a core dump and
 * the exit status say what happened). */
#include <linux/futex.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kernel/cpu.h"

/* The fault is reported; the CPU goes to the monitor; then the thread waits for the verdict. */
static void raise_fault(struct hk_fault *f)
{
    atomic_store(&f->verdict, HK_VERDICT_NONE);
    atomic_fetch_add(&f->seq, 1);
    /* Release the lock if the fault hit inside the scheduler, then hand the CPU to the monitor. */
    uint32_t expect = (uint32_t)hk_self + 1;
    atomic_compare_exchange_strong(&hk_sched->cpu[hk_cpu].lock, &expect, 0);
    hk_lock_cpu(hk_cpu);
    hk_block_locked(HK_ST_FAULTED);
    hk_switch_unlock(hk_sched, hk_cpu, HK_MAX_PDS, HK_FD_EVENT, -1, 0);
}

/* Wait for the parent's decision (resume, or restart); a thread without a parent waits for ever,
 * blocked as a faulted seL4 thread is (the monitor ends its process). */
static void await_verdict(struct hk_fault *f)
{
    uint32_t v;
    while ((v = atomic_load(&f->verdict)) == HK_VERDICT_NONE)
        syscall(SYS_futex, &f->verdict, FUTEX_WAIT, v, NULL, NULL, 0);
    hk_wait_cpu(); /* a pending restart takes effect here */
}

static void on_signal(int sig, siginfo_t *si, void *uc_)
{
    ucontext_t *uc = uc_;
    if (sig == SIGSEGV && si->si_code > 0 && hk_mmio_trap(si, uc))
        return; /* a trapped device register, served: on after the instruction */
    hk_out_flush();
    struct hk_fault *f = &hk_ctl->fault;
    memset(f->mr, 0, sizeof f->mr);
    memset(f->regs, 0, sizeof f->regs);
    f->what[0] = 0;
    f->signo = sig;
    f->code = si->si_code;
    f->addr = (uint64_t)(uintptr_t)si->si_addr;
    uint64_t err = 0, trapno = 0, flags = 0;
#if defined(__x86_64__)
    f->ip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
    f->sp = (uint64_t)uc->uc_mcontext.gregs[REG_RSP];
    if (si->si_code > 0) { /* raised by the CPU, not sent: the trap's vector and error code */
        err = (uint64_t)uc->uc_mcontext.gregs[REG_ERR];
        trapno = (uint64_t)uc->uc_mcontext.gregs[REG_TRAPNO];
    }
    flags = (uint64_t)uc->uc_mcontext.gregs[REG_EFL];
    static const int order[] = {REG_RIP, REG_RSP, REG_EFL, REG_RAX, REG_RBX, REG_RCX, REG_RDX,
                                REG_RSI, REG_RDI, REG_RBP, REG_R8,  REG_R9,  REG_R10, REG_R11,
                                REG_R12, REG_R13, REG_R14, REG_R15};
    for (unsigned r = 0; r < sizeof order / sizeof *order; r++)
        f->regs[r] = (uint64_t)uc->uc_mcontext.gregs[order[r]];
#elif defined(__aarch64__)
    f->ip = uc->uc_mcontext.pc;
    f->sp = uc->uc_mcontext.sp;
    flags = uc->uc_mcontext.pstate;
#else
    (void)uc;
#endif
    if (sig == SIGSEGV || sig == SIGBUS) {
        f->label = seL4_Fault_VMFault;
        f->count = seL4_VMFault_Length;
        f->mr[seL4_VMFault_IP] = f->ip;
        f->mr[seL4_VMFault_Addr] = f->addr;
        /* x86 page-fault error code: bit 4 an instruction fetch; a jump to an unmapped address
         * faults with the address as the IP too */
        f->mr[seL4_VMFault_PrefetchFault] = (err & 0x10) != 0 || f->addr == f->ip;
        f->mr[seL4_VMFault_FSR] = err;
    } else {
        f->label = seL4_Fault_UserException;
        f->count = seL4_UserException_Length;
        f->mr[seL4_UserException_FaultIP] = f->ip;
        f->mr[seL4_UserException_SP] = f->sp;
        f->mr[seL4_UserException_FLAGS] = flags;
        f->mr[seL4_UserException_Number] = trapno;
        f->mr[seL4_UserException_Code] = err;
    }
    hk_backtrace(f, uc);
    if (hk_cfg->core_wait)
        prctl(PR_SET_PTRACER, PR_SET_PTRACER_ANY, 0, 0, 0); /* the monitor's gdb may take a core */
    raise_fault(f);
    if (hk_cfg->parent >= 0) {
        await_verdict(f);
        return;
    }
    /* --core-dir: the monitor writes our core first (any verdict then means it is done) */
    while (hk_cfg->core_wait && atomic_load(&f->verdict) == HK_VERDICT_NONE)
        syscall(SYS_futex, &f->verdict, FUTEX_WAIT, HK_VERDICT_NONE, NULL, NULL, 0);
    hk_coverage_exit(128 + sig);
    signal(sig, SIG_DFL);
    raise(sig);
    _exit(128 + sig);
}

void hk_cap_fault(seL4_CPtr cptr, bool in_recv_phase, seL4_LookupFailureType why)
{
    hk_out_flush();
    struct hk_fault *f = &hk_ctl->fault;
    memset(f->mr, 0, sizeof f->mr);
    memset(f->regs, 0, sizeof f->regs);
    f->what[0] = 0;
    f->signo = 0;
    f->code = 0;
    f->ip = (uint64_t)(uintptr_t)__builtin_return_address(0);
    f->sp = (uint64_t)(uintptr_t)__builtin_frame_address(0);
    f->addr = cptr;
    f->regs[0] = f->ip;
    f->regs[1] = f->sp;
    f->label = seL4_Fault_CapFault;
    f->count = seL4_CapFault_Length;
    f->mr[seL4_CapFault_IP] = f->ip;
    f->mr[seL4_CapFault_Addr] = cptr;
    f->mr[seL4_CapFault_InRecvPhase] = in_recv_phase;
    f->mr[seL4_CapFault_LookupFailureType] = why;
    f->nframes = 0;
    raise_fault(f);
    await_verdict(f);
}

void hk_unsupported_call(const char *what)
{
    hk_out_flush();
    struct hk_fault *f = &hk_ctl->fault;
    memset(f->mr, 0, sizeof f->mr);
    memset(f->regs, 0, sizeof f->regs);
    size_t n = strlen(what);
    if (n >= sizeof f->what)
        n = sizeof f->what - 1;
    memcpy(f->what, what, n);
    f->what[n] = 0;
    f->signo = 0;
    f->code = 0;
    f->ip = (uint64_t)(uintptr_t)__builtin_return_address(0);
    f->sp = (uint64_t)(uintptr_t)__builtin_frame_address(0);
    f->addr = 0;
    f->regs[0] = f->ip;
    f->regs[1] = f->sp;
    f->label = seL4_Fault_UnknownSyscall;
    f->count = seL4_UnknownSyscall_Length;
    f->mr[seL4_UnknownSyscall_FaultIP] = f->ip;
    f->mr[seL4_UnknownSyscall_SP] = f->sp;
    f->nframes = 0;
    raise_fault(f);
    await_verdict(f);
}

/* seL4_DebugHalt stops the whole system on seL4: here, this PD stops (a fault naming the call). */
void seL4_DebugHalt(void) { hk_unsupported_call("seL4_DebugHalt"); }

void hk_fault_setup(void)
{
    struct sigaction sa = {0};
    sa.sa_sigaction = on_signal;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    /* The fault handler runs here, and with --coverage so does the PD's exit (libgcov's writer):
     * under AddressSanitizer, whose instrumented frames are larger, 64 KiB was not always enough,
     * and an overflow there ended the PD silently, its counters unwritten. Untouched pages cost
     * nothing. */
#ifdef __SANITIZE_ADDRESS__
    static char alt_stack[1 << 20];
#else
    static char alt_stack[1 << 16];
#endif
    stack_t ss = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack};
    sigaltstack(&ss, NULL);
    int fault_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};
    for (size_t i = 0; i < sizeof fault_signals / sizeof *fault_signals; i++)
        sigaction(fault_signals[i], &sa, NULL);
}
