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
#include "kernel/kobj.h"
#include "sdf/sdf.h"
#include "monitor/trace.h"

#include "monitor/monitor.h"

/* ---- faults ---- */
static const char *signal_fault(int sig, int code, char *buf, size_t len)
{
    switch (sig) {
    case SIGSEGV:
        snprintf(buf, len, "VMFault (SIGSEGV: %s)",
                 code == SEGV_ACCERR ? "access not permitted by the mapping" : "address not mapped");
        break;
    case SIGBUS: snprintf(buf, len, "VMFault (SIGBUS)"); break;
    case SIGILL: snprintf(buf, len, "UserException (SIGILL: illegal instruction)"); break;
    case SIGFPE: snprintf(buf, len, "UserException (SIGFPE: arithmetic exception)"); break;
    case SIGTRAP: snprintf(buf, len, "UserException (SIGTRAP: breakpoint)"); break;
    case SIGABRT: snprintf(buf, len, "UserException (SIGABRT: aborted)"); break;
    default: snprintf(buf, len, "killed by signal %d (%s)", sig, strsignal(sig)); break;
    }
    return buf;
}

/* The faulting PD's call chain, symbolized from its image where the address is in it. */
static void print_backtrace(unsigned i, const struct hk_fault *f)
{
    const char *image = M.sys.pds[M.pd[i].sdf].image_resolved;
    uint32_t n = f->nframes < 16 ? f->nframes : 16;
    for (uint32_t k = 0; k < n; k++) {
        char sym[160];
        uint64_t pc = f->frames[k], link = pc - f->base;
        /* a return address points after the call: look up the byte before it */
        if (pc < f->base || elf_symbolize(image, k ? link - 1 : link, sym, sizeof sym) < 0)
            snprintf(sym, sizeof sym, "?");
        printf("MON|ERROR:   #%u 0x%016llx %s\n", k, (unsigned long long)pc, sym);
    }
}

/* Prints the report for PD i: from its own fault record when it caught the fault, otherwise from
 * its exit status. */
static void report_fault(unsigned i, int status)
{
    struct hk_fault *f = &M.pd[i].ctl->fault;
    char what[128];
    pump_output(true);
    printf("MON|ERROR: faulting PD: %s\n", pd_name((int)i));
    trace_instant((int)i, "fault", "fault (unhandled)");
    uint32_t seq = atomic_load(&f->seq);
    if (seq != M.pd[i].fault_seen) {
        M.pd[i].fault_seen = seq;
        if (f->signo == SIGSEGV || f->signo == SIGBUS)
            printf("MON|ERROR: %s: ip=0x%016llx fault_addr=0x%016llx sp=0x%016llx\n",
                   signal_fault(f->signo, f->code, what, sizeof what), (unsigned long long)f->ip,
                   (unsigned long long)f->addr, (unsigned long long)f->sp);
        else /* the address of a trap is its ip; for a signal sent by a process it is its pid */
            printf("MON|ERROR: %s: ip=0x%016llx sp=0x%016llx\n",
                   signal_fault(f->signo, f->code, what, sizeof what), (unsigned long long)f->ip,
                   (unsigned long long)f->sp);
        print_backtrace(i, f);
    } else if (WIFEXITED(status)) {
        printf("MON|ERROR: PD exited with status %d\n", WEXITSTATUS(status));
    } else if (WIFSIGNALED(status)) {
        printf("MON|ERROR: %s\n", signal_fault(WTERMSIG(status), 0, what, sizeof what));
    }
    fflush(stdout);
    M.unhandled_fault = true;
}

/* The fault message a parent's fault() receives, laid out as seL4 lays it out: a VM fault with
 * IP, address, prefetch flag and status; a user exception with IP, SP, flags, number and code.
 * A child whose process ended without a fault (exit, or killed from outside) is reported as an
 * unknown syscall with the exit status or signal in MR 1 (hostkit's choice; seL4 has no exit). */
static void fault_message(unsigned i, int status, struct hk_fault_msg *m)
{
    struct hk_fault *f = &M.pd[i].ctl->fault;
    memset(m, 0, sizeof *m);
    uint32_t seq = atomic_load(&f->seq);
    if (seq == M.pd[i].fault_seen) {
        m->label = 2; /* seL4_Fault_UnknownSyscall */
        m->count = 2;
        m->mr[1] = WIFEXITED(status) ? (uint64_t)WEXITSTATUS(status) : (uint64_t)(128 + WTERMSIG(status));
        return;
    }
    M.pd[i].fault_seen = seq;
    if (f->signo == SIGSEGV || f->signo == SIGBUS) {
        m->label = 5; /* seL4_Fault_VMFault */
        m->count = 4;
        m->mr[0] = f->ip;
        m->mr[1] = f->addr;
        m->mr[2] = f->addr == f->ip;
        m->mr[3] = (uint64_t)f->code;
    } else {
        m->label = 3; /* seL4_Fault_UserException */
        m->count = 5;
        m->mr[0] = f->ip;
        m->mr[1] = f->sp;
        m->mr[3] = (uint64_t)f->signo;
        m->mr[4] = (uint64_t)f->code;
    }
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

/* Ends PD i's process, if it still runs, without reporting it. */
static void end_process(unsigned i)
{
    if (M.pd[i].pid > 0) {
        kill(M.pd[i].pid, SIGKILL);
        while (waitpid(M.pd[i].pid, NULL, 0) < 0 && errno == EINTR) {
        }
        M.pd[i].pid = 0;
    }
    uint32_t cpu = M.cpu_of[i], held = i + 1;
    atomic_compare_exchange_strong(&M.sched->cpu[cpu].lock, &held, 0);
    hk_lock_monitor(M.sched, cpu, MONITOR_ID);
    hk_drop_spinner(M.sched, cpu, (int)i);
    hk_unlock(M.sched, cpu);
}

/* PD i asks for something done to one of its children (microkit_pd_restart/_stop, or the resume
 * its fault() decided). The PD waits until ack_seq catches up. */
void serve_request(unsigned i)
{
    struct hk_ctl *ctl = M.pd[i].ctl;
    uint32_t child_id = ctl->req_child;
    int c = -1; /* from our own copy of the system: a PD's ctl page could say anything */
    for (unsigned k = 0; k < M.npds && child_id < HK_NCH; k++)
        if (M.parent_of[k] == (int)i && M.sys.pds[M.pd[k].sdf].child_id == child_id)
            c = (int)k;
    if (c >= 0 && (unsigned)c < M.npds) {
        struct hk_ctl *cc = M.pd[c].ctl;
        uint32_t cpu = M.cpu_of[c];
        switch (ctl->req_op) {
        case HK_REQ_RESTART:
            end_process((unsigned)c);
            M.pd[c].fault_seen = atomic_load(&cc->fault.seq);
            atomic_store(&cc->fault.verdict, HK_VERDICT_NONE);
            /* IRQ state stays: on seL4 a restart rewrites registers, an un-acked IRQ stays masked */
            atomic_store(&cc->child_faults, 0);
            atomic_store(&cc->ack_seq, atomic_load(&cc->req_seq));
            hk_lock_monitor(M.sched, cpu, MONITOR_ID);
            hk_set_state(M.sched, cpu, c, HK_ST_INIT);
            atomic_fetch_and(&M.sched->cpu[cpu].runnable, ~(1ull << c));
            /* resumed by the parent, which runs on: queued as libhostkit's wake_at_head() says */
            hk_make_runnable(M.sched, cpu, c, M.prio[c] != M.prio[i], hk_same_prio(M.prio, M.npds, c));
            hk_unlock(M.sched, cpu);
            start_pd((unsigned)c);
            break;
        case HK_REQ_STOP:
            end_process((unsigned)c);
            hk_lock_monitor(M.sched, cpu, MONITOR_ID);
            hk_set_state(M.sched, cpu, c, HK_ST_STOPPED);
            atomic_fetch_and(&M.sched->cpu[cpu].runnable, ~(1ull << c));
            hk_unlock(M.sched, cpu);
            break;
        case HK_REQ_RESUME:
            if (M.pd[c].pid > 0 && hk_state(M.sched, cpu, c) == HK_ST_FAULTED) {
                hk_lock_monitor(M.sched, cpu, MONITOR_ID);
                hk_set_state(M.sched, cpu, c, HK_ST_RUNNABLE);
                hk_make_runnable(M.sched, cpu, c, true, hk_same_prio(M.prio, M.npds, c)); /* the fault reply: the parent blocks in receive */
                hk_unlock(M.sched, cpu);
                atomic_store(&cc->fault.verdict, HK_VERDICT_RESUME);
                syscall(SYS_futex, &cc->fault.verdict, FUTEX_WAKE, 1, NULL, NULL, 0);
            }
            break;
        }
    }
    atomic_store(&ctl->ack_seq, atomic_load(&ctl->req_seq));
    syscall(SYS_futex, &ctl->ack_seq, FUTEX_WAKE, 1, NULL, NULL, 0);
}
