/* monitor_faults.c — what the monitor does when a PD faults or ends: the report Microkit's monitor
 * would print, or the fault message to the parent's fault(); and the parent's requests for its
 * children (restart, stop, resume). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/futex.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "monitor/elf_sym.h"
#include <sel4/sel4.h>

#include "kernel/kobj.h"
#include "sdf/sdf.h"
#include "monitor/trace.h"

#include "monitor/monitor.h"
#include "monitor/monitor_devices.h"

/* ---- faults ---- */
/* The host's name for a fault, said after the seL4 report. */
static const char *signal_fault(int sig, int code, char *buf, size_t len)
{
    switch (sig) {
    case SIGSEGV:
        snprintf(buf, len, "SIGSEGV (%s)", code == SEGV_ACCERR ? "access not permitted by the mapping" : "address not mapped");
        break;
    case SIGBUS: snprintf(buf, len, "SIGBUS"); break;
    case SIGILL: snprintf(buf, len, "SIGILL (illegal instruction)"); break;
    case SIGFPE: snprintf(buf, len, "SIGFPE (arithmetic exception)"); break;
    case SIGTRAP: snprintf(buf, len, "SIGTRAP (breakpoint)"); break;
    case SIGABRT: snprintf(buf, len, "SIGABRT (aborted)"); break;
    default: snprintf(buf, len, "killed by signal %d (%s)", sig, strsignal(sig)); break;
    }
    return buf;
}

/* The faulting PD's call chain (the PD's kernel walked it: kernel/vspace.c), each address named
 * with its function, file and line from the image's debug information (symbolize.c). */
static void print_backtrace(unsigned i, const struct hk_fault *f)
{
    const char *image = M.sys.pds[M.pd[i].sdf].image_resolved;
    uint32_t n = f->nframes < 16 ? f->nframes : 16;
    for (uint32_t k = 0; k < n; k++) {
        char sym[512];
        uint64_t pc = f->frames[k], link = pc - f->base;
        if (pc < f->base || symbolize(image, link, k > 0, sym, sizeof sym) < 0)
            snprintf(sym, sizeof sym, "?");
        printf("MON|ERROR:   #%u 0x%016llx %s\n", k, (unsigned long long)pc, sym);
    }
    symbolize_done();
}

/* x86-64 page-fault error codes, as Microkit's monitor describes them. */
static const char *page_fault_text(uint64_t fsr)
{
    switch (fsr & 0x1f) {
    case 0 | 4: return "read to a non-present page at ring 3";
    case 1 | 4: return "page-protection violation from read at ring 3";
    case 2 | 4: return "write to a non-present page at ring 3";
    case 3 | 4: return "page-protection violation from write at ring 3";
    case 16 | 4: case 16 | 5: return "instruction fetch from non-executable page";
    default: return "invalid FSR or unimplemented decoding";
    }
}

/* The report of an unhandled fault of PD i, in the shape of Microkit's debug monitor (2.3, x86-64:
 * the host's architecture): the fault message's label and badge (the PD's index + 1) and TCB
 * capability (10 + index), the faulting PD, its registers, the fault; then what hostkit knows more:
 * the host's signal and a backtrace. A PD whose process ended without a fault is reported with
 * its exit. */
static void report_fault(unsigned i, int status)
{
    struct hk_fault *f = &M.pd[i].ctl->fault;
    char what[128];
    pump_output(true);
    trace_instant((int)i, "fault", "fault (unhandled)");
    uint64_t pd_id = (uint64_t)M.pd[i].sdf;
    uint32_t seq = atomic_load(&f->seq);
    if (seq != M.pd[i].fault_seen) {
        M.pd[i].fault_seen = seq;
        printf("MON|ERROR: received message 0x%08llx  badge: 0x%016llx  tcb cap: 0x%016llx\n",
               (unsigned long long)(f->label & 0xffffffffu), (unsigned long long)pd_id + 1,
               (unsigned long long)pd_id + 10);
        printf("MON|ERROR: faulting PD: %s\n", pd_name((int)i));
        static const char *const regs[] = {"rip", "rsp", "rflags", "rax", "rbx", "rcx", "rdx",
                                           "rsi", "rdi", "rbp", "r8", "r9", "r10", "r11", "r12",
                                           "r13", "r14", "r15", "fs_base", "gs_base"};
        printf("Registers: \n");
        for (unsigned r = 0; r < sizeof regs / sizeof *regs && r < HK_FAULT_REGS; r++)
            printf("%s : 0x%016llx\n", regs[r], (unsigned long long)f->regs[r]);
        switch (f->label) {
        case seL4_Fault_CapFault:
            static const char *const lookup[] = {"seL4_NoFailure", "seL4_InvalidRoot", "seL4_MissingCapability",
                                                 "seL4_DepthMismatch", "seL4_GuardMismatch"};
            uint64_t type = f->mr[seL4_CapFault_LookupFailureType];
            printf("MON|ERROR: CapFault: ip=0x%016llx  fault_addr=0x%016llx  in_recv_phase=%s  lookup_failure_type=",
                   (unsigned long long)f->mr[seL4_CapFault_IP], (unsigned long long)f->mr[seL4_CapFault_Addr],
                   f->mr[seL4_CapFault_InRecvPhase] ? "true" : "false");
            if (type < sizeof lookup / sizeof *lookup)
                printf("%s", lookup[type]);
            else
                printf("0x%016llx", (unsigned long long)type);
            if (type >= seL4_MissingCapability && type <= seL4_GuardMismatch)
                printf("  bits_left=0x%016llx", (unsigned long long)f->mr[seL4_CapFault_BitsLeft]);
            printf("\n");
            break;
        case seL4_Fault_UserException:
            printf("MON|ERROR: UserException\n");
            break;
        case seL4_Fault_VMFault:
            printf("MON|ERROR: VMFault: ip=0x%016llx  fault_addr=0x%016llx  fsr=0x%016llx  %s\n",
                   (unsigned long long)f->mr[seL4_VMFault_IP], (unsigned long long)f->mr[seL4_VMFault_Addr],
                   (unsigned long long)f->mr[seL4_VMFault_FSR],
                   f->mr[seL4_VMFault_PrefetchFault] ? "(instruction fault)" : "(data fault)");
            printf("MON|ERROR: description of fault: %s\n", page_fault_text(f->mr[seL4_VMFault_FSR]));
            break;
        default:
            printf("MON|ERROR: Unknown fault\n");
            break;
        }
        if (f->signo)
            printf("MON|ERROR: hostkit: %s\n", signal_fault(f->signo, f->code, what, sizeof what));
        else if (f->what[0])
            printf("MON|ERROR: hostkit: %.*s\n", (int)sizeof f->what, f->what);
        print_backtrace(i, f);
    } else {
        printf("MON|ERROR: faulting PD: %s\n", pd_name((int)i));
        if (WIFEXITED(status))
            printf("MON|ERROR: hostkit: PD exited with status %d\n", WEXITSTATUS(status));
        else if (WIFSIGNALED(status))
            printf("MON|ERROR: hostkit: %s\n", signal_fault(WTERMSIG(status), 0, what, sizeof what));
    }
    fflush(stdout);
    M.unhandled_fault = true;
    verdict_fault(i);
    debug_core(i);
}

/* The fault message a parent's fault() receives: the one the faulting thread's kernel wrote (its
 * own fault: it can only lie about itself), its length clamped. A child whose process ended
 * without a fault (exit, or killed from outside) is reported as an unknown syscall with the exit
 * status or signal in MR 1 (hostkit's choice; seL4 has no exit). */
static void fault_message(unsigned i, int status, struct hk_fault_msg *m)
{
    struct hk_fault *f = &M.pd[i].ctl->fault;
    memset(m, 0, sizeof *m);
    uint32_t seq = atomic_load(&f->seq);
    if (seq == M.pd[i].fault_seen) {
        m->label = seL4_Fault_UnknownSyscall;
        m->count = 2;
        m->mr[1] = WIFEXITED(status) ? (uint64_t)WEXITSTATUS(status) : (uint64_t)(128 + WTERMSIG(status));
        return;
    }
    M.pd[i].fault_seen = seq;
    m->label = f->label;
    m->count = f->count < HK_FAULT_MRS ? f->count : HK_FAULT_MRS;
    memcpy(m->mr, f->mr, sizeof m->mr);
}

/* A fault of PD i: to its parent's fault() if it has a parent, else reported by the monitor. */
void handle_fault(unsigned i, int status)
{
    int parent = M.parent_of[i];
    if (parent < 0) {
        report_fault(i, status);
        return;
    }
    unsigned id = M.sys.pds[M.pd[i].sdf].child_id;
    struct hk_ctl *pc = M.pd[parent].ctl;
    trace_instant((int)i, "fault", "fault (to parent)");
    fault_message(i, status, &pc->child_fault[id]);
    atomic_fetch_or(&pc->child_faults, 1ull << id);
    atomic_fetch_or(&M.sched->pd[parent].hint, 1ull << HK_HINT_FAULT);
    monitor_ready((unsigned)parent);
}

/* A PD's process ended: report it unless its fault handler already did, and take it out of the
 * schedule; the rest of the system runs on. */
void reap(void)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        unsigned i;
        for (i = 0; i < M.npds && M.pd[i].pid != pid; i++) {
        }
        if (i == M.npds)
            continue;
        M.pd[i].pid = 0;
        uint32_t cpu = M.cpu_of[i];
        uint32_t held = (uint32_t)i + 1; /* a lock it died holding is released */
        atomic_compare_exchange_strong(&M.sched->cpu[cpu].lock, &held, 0);
        if (hk_state(M.sched, cpu, (int)i) != HK_ST_FAULTED || atomic_load(&M.pd[i].ctl->fault.seq) != M.pd[i].fault_seen)
            handle_fault(i, status);
        hk_lock_monitor(M.sched, cpu, MONITOR_ID);
        hk_drop_spinner(M.sched, cpu, (int)i);
        hk_set_state(M.sched, cpu, (int)i, HK_ST_DEAD);
        atomic_fetch_and(&M.sched->cpu[cpu].runnable, ~(1ull << i));
        hk_unlock(M.sched, cpu);
        monitor_reschedule(cpu, false);
    }
}

/* The PD a request of PD i names (kernel/cspace.h: a child by id, a TCB of its <cspace>), from our
 * own copy of the system: a PD's control page could say anything. -1 if it names none. */
static int request_target(unsigned i, uint32_t target)
{
    const struct sdf_pd *sp = &M.sys.pds[M.pd[i].sdf];
    if (target < HK_TCB_SLOT) {
        for (unsigned k = 0; k < M.npds; k++)
            if (M.parent_of[k] == (int)i && M.sys.pds[M.pd[k].sdf].child_id == target)
                return (int)k;
        return -1;
    }
    uint64_t slot = target - HK_TCB_SLOT;
    for (size_t k = 0; k < sp->ncaps; k++)
        if (sp->caps[k].slot == slot && sp->caps[k].kind == SDF_CAP_TCB && sp->caps[k].pd >= 0)
            return M.idx_of[sp->caps[k].pd];
    return -1;
}

/* Makes PD c runnable (with its CPU's lock held), queued as a thread resumed by the PD that asked:
 * behind its equals when the asker runs on (libhostkit's wake_at_head()). */
static void make_runnable_locked(int c, unsigned asker)
{
    hk_set_state(M.sched, M.cpu_of[c], c, HK_ST_RUNNABLE);
    hk_make_runnable(M.sched, M.cpu_of[c], c, M.prio[c] != M.prio[asker], hk_same_prio(M.prio, M.npds, c));
}

/* seL4_TCB_WriteRegisters with the entry point: the thread starts again at ENTRY, its memory as
 * it is (kernel/tcb.c), once it is resumed (RESUME) — at once, or at its next seL4_TCB_Resume. A
 * thread whose process has ended starts afresh from its image (a host cannot do otherwise). */
static void restart(int c, unsigned asker, bool resume, uint64_t entry)
{
    struct hk_ctl *cc = M.pd[c].ctl;
    cc->restart_entry = entry;
    uint32_t cpu = M.cpu_of[c];
    atomic_store(&cc->child_faults, 0);
    atomic_store(&cc->ack_seq, atomic_load(&cc->req_seq));
    M.pd[c].fault_seen = atomic_load(&cc->fault.seq);
    /* IRQ state stays: on seL4 a restart rewrites registers, an un-acked IRQ stays masked */
    if (M.pd[c].pid <= 0) {
        hk_lock_monitor(M.sched, cpu, MONITOR_ID);
        hk_set_state(M.sched, cpu, c, resume ? HK_ST_INIT : HK_ST_STOPPED);
        atomic_fetch_and(&M.sched->cpu[cpu].runnable, ~(1ull << c));
        if (resume)
            hk_make_runnable(M.sched, cpu, c, M.prio[c] != M.prio[asker], hk_same_prio(M.prio, M.npds, c));
        hk_unlock(M.sched, cpu);
        start_pd((unsigned)c);
        return;
    }
    atomic_fetch_add(&cc->restart_seq, 1);
    atomic_store(&cc->fault.verdict, HK_VERDICT_RESTART); /* a thread waiting in its fault handler */
    syscall(SYS_futex, &cc->fault.verdict, FUTEX_WAKE, 1, NULL, NULL, 0);
    hk_lock_monitor(M.sched, cpu, MONITOR_ID);
    atomic_fetch_and(&M.sched->cpu[cpu].runnable, ~(1ull << c));
    if (resume)
        make_runnable_locked(c, asker);
    else
        hk_set_state(M.sched, cpu, c, HK_ST_STOPPED);
    hk_unlock(M.sched, cpu);
}

/* seL4_TCB_Suspend: the thread stops where it is (in the kernel, waiting for its CPU, or in its
 * fault handler) until resumed or restarted. */
static void suspend(int c)
{
    uint32_t cpu = M.cpu_of[c];
    hk_lock_monitor(M.sched, cpu, MONITOR_ID);
    if (hk_state(M.sched, cpu, c) != HK_ST_DEAD) {
        hk_set_state(M.sched, cpu, c, HK_ST_STOPPED);
        atomic_fetch_and(&M.sched->cpu[cpu].runnable, ~(1ull << c));
    }
    hk_unlock(M.sched, cpu);
}

/* seL4_TCB_Resume of a suspended thread: it runs on from where it stopped. A thread suspended in
 * its fault handler runs the faulting instruction again (and faults again), as on seL4. */
static void resume_stopped(int c, unsigned asker)
{
    struct hk_ctl *cc = M.pd[c].ctl;
    uint32_t cpu = M.cpu_of[c];
    if (M.pd[c].pid <= 0)
        return;
    hk_lock_monitor(M.sched, cpu, MONITOR_ID);
    if (hk_state(M.sched, cpu, c) == HK_ST_STOPPED) {
        make_runnable_locked(c, asker);
        if (atomic_load(&cc->fault.verdict) == HK_VERDICT_NONE && atomic_load(&cc->fault.seq) == M.pd[c].fault_seen) {
            atomic_store(&cc->fault.verdict, HK_VERDICT_RESUME);
            syscall(SYS_futex, &cc->fault.verdict, FUTEX_WAKE, 1, NULL, NULL, 0);
        }
    }
    hk_unlock(M.sched, cpu);
}

/* The reply to a child's fault: resumed, it runs the faulting instruction again (the parent
 * blocks in receive with the reply, so the child is queued at the head). */
static void fault_resume(int c)
{
    struct hk_ctl *cc = M.pd[c].ctl;
    uint32_t cpu = M.cpu_of[c];
    if (M.pd[c].pid <= 0 || hk_state(M.sched, cpu, c) != HK_ST_FAULTED)
        return;
    hk_lock_monitor(M.sched, cpu, MONITOR_ID);
    hk_set_state(M.sched, cpu, c, HK_ST_RUNNABLE);
    hk_make_runnable(M.sched, cpu, c, true, hk_same_prio(M.prio, M.npds, c));
    hk_unlock(M.sched, cpu);
    atomic_store(&cc->fault.verdict, HK_VERDICT_RESUME);
    syscall(SYS_futex, &cc->fault.verdict, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/* An I/O port access of PD i through its <ioport> ID: inside the capability's range, it goes to
 * the device models (monitor_devices.c), which answer for the board's devices and give all ones
 * for a port no device claims. */
static int32_t ioport_access(unsigned i, uint32_t id, uint64_t arg, bool out, uint64_t *value)
{
    const struct sdf_pd *sp = &M.sys.pds[M.pd[i].sdf];
    uint64_t port = arg & 0xffff, bytes = (arg >> 16) & 0xff, data = arg >> 32;
    const struct sdf_ioport *io = NULL;
    for (size_t k = 0; k < sp->nioports; k++)
        if (sp->ioports[k].id == id)
            io = &sp->ioports[k];
    if (!io || (bytes != 1 && bytes != 2 && bytes != 4))
        return seL4_IllegalOperation;
    if (port < io->addr || port + bytes > io->addr + io->size)
        return seL4_RangeError;
    *value = data;
    devices_ioport(i, port, (unsigned)bytes, out, value);
    if (out)
        *value = 0;
    return seL4_NoError;
}

/* PD i's kernel asks for something (kernel/request.c): a TCB method on a child or a <cspace> TCB,
 * the reply to a child's fault, a message to the monitor's endpoint, an I/O port or device access,
 * an SMC. The PD waits until ack_seq catches up; req_result is the method's seL4_Error. */
void serve_request(unsigned i)
{
    struct hk_ctl *ctl = M.pd[i].ctl;
    uint32_t op = ctl->req_op, target = ctl->req_target;
    uint64_t arg = ctl->req_arg;
    int32_t result = seL4_NoError;
    int c = -1;
    switch (op) {
    case HK_REQ_PASSIVE:
        pump_output(true);
        printf("MON|INFO: PD '%s' is now passive!\n", pd_name((int)i));
        fflush(stdout);
        break;
    case HK_REQ_MONITOR_MSG:
        pump_output(true);
        printf("MON|ERROR: received message 0x%08llx  badge: 0x%016llx  tcb cap: 0x%016llx\n",
               (unsigned long long)(arg & 0xffffffffu), (unsigned long long)M.pd[i].sdf + 1,
               (unsigned long long)M.pd[i].sdf + 10);
        printf("MON|ERROR: faulting PD: %s\nMON|ERROR: Unknown fault\n", pd_name((int)i));
        fflush(stdout);
        break;
    case HK_REQ_DEVICE_SYNC:
        devices_sync(i);
        break;
    case HK_REQ_MMIO:
        result = devices_mmio(i, target, arg, &ctl->req_regs[0]);
        break;
    case HK_REQ_SMC: { /* only a PD the system gives the SMC capability (smc="true") */
        bool power_off = false;
        result = M.sys.pds[M.pd[i].sdf].smc ? devices_smc(ctl->req_regs, &power_off) : seL4_IllegalOperation;
        if (power_off) { /* the board is off: nothing runs after it, as QEMU exits */
            char why[128];
            snprintf(why, sizeof why, "PD '%s' powered the board off (PSCI SYSTEM_OFF)", pd_name((int)i));
            end_run(RUN_POWER_OFF, M.unhandled_fault ? HK_EXIT_FAULT : HK_EXIT_OK, why);
        }
        break;
    }
    case HK_REQ_IOPORT_IN:
    case HK_REQ_IOPORT_OUT: {
        uint64_t value = 0;
        result = ioport_access(i, target, arg, op == HK_REQ_IOPORT_OUT, &value);
        ctl->req_regs[0] = value;
        break;
    }
    default:
        c = request_target(i, target);
        if (c < 0 || (unsigned)c >= M.npds) {
            result = seL4_InvalidCapability;
            break;
        }
        switch (op) {
        case HK_REQ_RESTART: restart(c, i, true, arg); break;
        case HK_REQ_RESTART_SUSPENDED: restart(c, i, false, arg); break;
        case HK_REQ_SUSPEND: suspend(c); break;
        case HK_REQ_RESUME: resume_stopped(c, i); break;
        case HK_REQ_FAULT_RESUME: fault_resume(c); break;
        case HK_REQ_FAULT_END: suspend(c); break;
        case HK_REQ_READ_REGS:
        case HK_REQ_READ_REGS_SUSPEND: {
            const struct hk_fault *f = &M.pd[c].ctl->fault;
            bool faulted = hk_state(M.sched, M.cpu_of[c], c) == HK_ST_FAULTED;
            ctl->req_regs[0] = faulted ? f->ip : 0;
            ctl->req_regs[1] = faulted ? f->sp : 0;
            if (op == HK_REQ_READ_REGS_SUSPEND)
                suspend(c);
            break;
        }
        default: result = seL4_IllegalOperation; break;
        }
        break;
    }
    ctl->req_result = result;
    atomic_store(&ctl->ack_seq, atomic_load(&ctl->req_seq));
    syscall(SYS_futex, &ctl->ack_seq, FUTEX_WAKE, 1, NULL, NULL, 0);
}
