/* monitor.c — `hostkit run`: the monitor. It checks the system description, creates the kernel
 * objects (kobj.h) in memfds, starts every PD as its own process holding only the objects its
 * channels name, prints the PDs' debug output in the order it was produced, reports faults the way
 * Microkit's monitor does, and ends the run when the system is quiescent, at --until's line, on
 * --timeout, or on a signal.
 *
 * Exit codes: 0 quiescent (or --until matched); 1 invalid system or setup error; 2 usage;
 * 3 timeout or a stuck system (a PD blocked in a ppcall that can never return); 4 quiescent after
 * a PD faulted with nobody to handle it; 128+N killed by signal N. */
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

#include "cli.h"
#include "elf_sym.h"
#include "kobj.h"
#include "sdf.h"
#include "trace.h"

#define MONITOR_ID HK_MAX_PDS /* the monitor's index in locks and as a CPU holder */

struct pd_proc {
    int sdf;                /* index in sys.pds */
    pid_t pid;
    int ctl_fd;
    struct hk_ctl *ctl;
    uint32_t fault_seen;    /* ctl->fault.seq already reported */
    int chan_fds[HK_NCH];   /* channel memfd for each channel id, -1 if none */
    int map_fds[HK_MAX_MAPS];
    int trace_fd;
    struct hk_trace *trace;
};

/* An IRQ raised from the command line: --irq NUMBER@SECONDS or --irq PD:ID@SECONDS. */
struct irq_event {
    int pd;                 /* scheduler index */
    unsigned id;            /* the PD's channel id for the IRQ */
    double at;              /* seconds after start */
    bool done;
};

static struct {
    struct sdf_system sys;
    struct hk_sched *sched;
    int sched_fd, out_rd, out_wr, event_fd, sig_fd, timer_fd;
    unsigned npds, ncpus;
    struct pd_proc pd[HK_MAX_PDS];
    int idx_of[SDF_MAX_PDS];    /* scheduler index of each sdf PD */
    uint8_t prio[HK_MAX_PDS];   /* priorities by scheduler index: our own copy, never the shared one */
    uint32_t cpu_of[HK_MAX_PDS];  /* likewise each PD's CPU */
    int parent_of[HK_MAX_PDS];    /* likewise each PD's parent (-1 for none) */
    double timeout;
    regex_t until;
    bool have_until, unhandled_fault;
    char line[8192];
    size_t line_len;
    int *mr_fds;                /* one memfd per memory region */
    struct irq_event irqs[256];
    unsigned nirqs;
    bool irq_stdin;             /* --irq-stdin: more IRQs may come on standard input */
    char stdin_buf[512];
    size_t stdin_len;
    unsigned stdin_line;
    int irq_timer_fd;
    struct timespec start;
    const char *trace_path;
    bool log, sandbox;
    struct hk_timer_regs *timer;    /* the virtual timer's registers, if the system has one */
    int timer_pd;                   /* the PD that takes its IRQ, and its channel id for it */
    bool maps_timer[HK_MAX_PDS];    /* the PDs that map it */
    unsigned timer_ch;
    uint64_t timer_armed, timer_fired; /* deadlines armed and fired (ns since start) */
    struct trace_instant instants[1024];
    unsigned ninstants;
} M;

static uint64_t mono_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* An instant event for the trace (faults, IRQs). */
static void trace_instant(int pd, const char *cat, const char *what)
{
    if (!M.trace_path || M.ninstants == sizeof M.instants / sizeof *M.instants)
        return;
    struct trace_instant *t = &M.instants[M.ninstants++];
    t->ts = mono_ns();
    t->pd = pd;
    t->cat = cat;
    snprintf(t->what, sizeof t->what, "%s", what);
}

static int die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("hostkit: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static const char *pd_name(int i) { return M.sys.pds[M.pd[i].sdf].name; }

static int make_memfd(const char *name, size_t size)
{
    int fd = memfd_create(name, MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, (off_t)size) < 0)
        die("cannot create shared memory '%s': %s", name, strerror(errno));
    return fd;
}

static void *map_shared(int fd, size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        die("cannot map shared memory: %s", strerror(errno));
    return p;
}

/* ---- output: PD lines pass through here, in order, and --until watches them ---- */
static bool until_matched;

static void emit_line(const char *s, size_t n)
{
    fwrite(s, 1, n, stdout);
    if (M.have_until && !until_matched) {
        char tmp[sizeof M.line + 1];
        size_t k = n && s[n - 1] == '\n' ? n - 1 : n;
        memcpy(tmp, s, k);
        tmp[k] = 0;
        if (regexec(&M.until, tmp, 0, NULL, 0) == 0)
            until_matched = true;
    }
}

/* Reads what the PDs wrote (all of it when DRAIN), printing complete lines. */
static void pump_output(bool drain)
{
    while (!until_matched) {
        ssize_t n = read(M.out_rd, M.line + M.line_len, sizeof M.line - M.line_len);
        if (n <= 0)
            break;
        M.line_len += (size_t)n;
        size_t start = 0;
        for (size_t i = 0; i < M.line_len && !until_matched; i++)
            if (M.line[i] == '\n') {
                emit_line(M.line + start, i + 1 - start);
                start = i + 1;
            }
        if (start == 0 && M.line_len == sizeof M.line && !until_matched) { /* over-long line: pass it on */
            emit_line(M.line, M.line_len);
            start = M.line_len;
        }
        memmove(M.line, M.line + start, M.line_len - start);
        M.line_len -= start;
        if (!drain)
            break;
    }
    fflush(stdout);
}

/* ---- ending the run ---- */
static void kill_all(void)
{
    for (unsigned i = 0; i < M.npds; i++)
        if (M.pd[i].pid > 0)
            kill(M.pd[i].pid, SIGKILL);
    for (unsigned i = 0; i < M.npds; i++)
        if (M.pd[i].pid > 0) {
            while (waitpid(M.pd[i].pid, NULL, 0) < 0 && errno == EINTR) {
            }
            M.pd[i].pid = 0;
        }
}

static void write_trace(void)
{
    struct trace_pd pds[HK_MAX_PDS];
    for (unsigned i = 0; i < M.npds; i++)
        pds[i] = (struct trace_pd){pd_name((int)i), M.pd[i].trace, M.pd[i].ctl};
    uint64_t t0 = (uint64_t)M.start.tv_sec * 1000000000u + (uint64_t)M.start.tv_nsec;
    if (trace_write(M.trace_path, pds, M.npds, M.instants, M.ninstants, t0) < 0)
        fprintf(stderr, "hostkit: cannot write trace '%s': %s\n", M.trace_path, strerror(errno));
}

static void finish(int code)
{
    pump_output(true);
    if (M.line_len && !until_matched)
        emit_line(M.line, M.line_len); /* a last line without its newline stays so, as on seL4 */
    fflush(stdout);
    kill_all();
    if (M.trace_path)
        write_trace();
    sdf_free(&M.sys);
    exit(code);
}

static const char *state_text(unsigned i, char *buf, size_t len)
{
    struct hk_pd_sched *p = &M.sched->pd[i];
    uint32_t st = atomic_load(&p->state);
    int callee = atomic_load(&p->call_to);
    switch (st) {
    case HK_ST_CALL:
        snprintf(buf, len, "blocked in ppcall on channel %u to %s", p->call_ch,
                 callee >= 0 && (unsigned)callee < M.npds ? pd_name(callee) : "?");
        return buf;
    case HK_ST_INIT: return "has not finished init";
    case HK_ST_RUNNABLE: return "running";
    case HK_ST_FAULTED: return "faulted";
    default: return NULL; /* idle, stopped or dead: not busy */
    }
}

/* Names the PDs still busy, on stderr. */
static void report_busy(const char *why)
{
    char buf[160];
    fprintf(stderr, "hostkit: %s; still busy:", why);
    bool any = false;
    for (unsigned i = 0; i < M.npds; i++) {
        const char *st = state_text(i, buf, sizeof buf);
        if (st) {
            fprintf(stderr, "%s %s (%s)", any ? "," : "", pd_name((int)i), st);
            any = true;
        }
    }
    fputs(any ? "\n" : " none\n", stderr);
}

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

/* Makes PD i runnable if it waits in receive (the monitor's wake-up, for faults and IRQs). */
static void monitor_ready(unsigned i)
{
    uint32_t cpu = M.cpu_of[i];
    hk_lock_monitor(M.sched, cpu, MONITOR_ID);
    if (atomic_load(&M.sched->pd[i].state) == HK_ST_RECV) {
        atomic_store(&M.sched->pd[i].state, HK_ST_RUNNABLE);
        hk_make_runnable(M.sched, cpu, (int)i, true); /* as the kernel queues a woken thread */
    }
    hk_unlock(M.sched, cpu);
}

/* A fault of PD i: to its parent's fault() if it has a parent, else reported by the monitor. */
static void handle_fault(unsigned i, int status)
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

/* If CPU is idle, or held by a PD that cannot run, give it to the next runnable PD. A CPU a
 * faulting PD handed to the monitor is given on only by on_event(), once the fault is dealt with
 * (TAKE_FROM_MONITOR): the report comes before anything else runs, as on seL4. */
static void monitor_reschedule(uint32_t cpu, bool take_from_monitor)
{
    hk_lock_monitor(M.sched, cpu, MONITOR_ID);
    int cur = atomic_load(&M.sched->cpu[cpu].current);
    bool give = cur == MONITOR_ID ? take_from_monitor
                                  : cur < 0 || (unsigned)cur >= M.npds ||
                                        atomic_load(&M.sched->pd[cur].state) >= HK_ST_FAULTED;
    if (give) {
        /* only real PDs of this CPU: bits the shared page should not have are dropped */
        uint64_t mine = 0;
        for (unsigned i = 0; i < M.npds; i++)
            if (M.cpu_of[i] == cpu)
                mine |= 1ull << i;
        atomic_fetch_and(&M.sched->cpu[cpu].runnable, mine);
        hk_switch_unlock(M.sched, cpu, hk_pick(M.sched, cpu, M.prio), -1);
    } else {
        hk_unlock(M.sched, cpu);
    }
}

/* A PD's process ended: report it unless its fault handler already did, and take it out of the
 * schedule; the rest of the system runs on. */
static void reap(void)
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
        struct hk_pd_sched *p = &M.sched->pd[i];
        uint32_t cpu = M.cpu_of[i];
        uint32_t held = (uint32_t)i + 1; /* a lock it died holding is released */
        atomic_compare_exchange_strong(&M.sched->cpu[cpu].lock, &held, 0);
        if (atomic_load(&p->state) != HK_ST_FAULTED || atomic_load(&M.pd[i].ctl->fault.seq) != M.pd[i].fault_seen)
            handle_fault(i, status);
        hk_lock_monitor(M.sched, cpu, MONITOR_ID);
        atomic_store(&p->state, HK_ST_DEAD);
        atomic_fetch_and(&M.sched->cpu[cpu].runnable, ~(1ull << i));
        hk_unlock(M.sched, cpu);
        monitor_reschedule(cpu, false);
    }
}

static void start_pd(unsigned i);

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
}

/* PD i asks for something done to one of its children (microkit_pd_restart/_stop, or the resume
 * its fault() decided). The PD waits until ack_seq catches up. */
static void serve_request(unsigned i)
{
    struct hk_ctl *ctl = M.pd[i].ctl;
    uint32_t child_id = ctl->req_child;
    int c = -1; /* from our own copy of the system: a PD's ctl page could say anything */
    for (unsigned k = 0; k < M.npds && child_id < HK_NCH; k++)
        if (M.parent_of[k] == (int)i && M.sys.pds[M.pd[k].sdf].child_id == child_id)
            c = (int)k;
    if (c >= 0 && (unsigned)c < M.npds) {
        struct hk_ctl *cc = M.pd[c].ctl;
        struct hk_pd_sched *cp = &M.sched->pd[c];
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
            atomic_store(&cp->state, HK_ST_INIT);
            atomic_fetch_and(&M.sched->cpu[cpu].runnable, ~(1ull << c));
            /* resumed by the parent, which runs on: queued as libhostkit's wake_at_head() says */
            hk_make_runnable(M.sched, cpu, c, M.prio[c] != M.prio[i]);
            hk_unlock(M.sched, cpu);
            start_pd((unsigned)c);
            break;
        case HK_REQ_STOP:
            end_process((unsigned)c);
            hk_lock_monitor(M.sched, cpu, MONITOR_ID);
            atomic_store(&cp->state, HK_ST_STOPPED);
            atomic_fetch_and(&M.sched->cpu[cpu].runnable, ~(1ull << c));
            hk_unlock(M.sched, cpu);
            break;
        case HK_REQ_RESUME:
            if (M.pd[c].pid > 0 && atomic_load(&cp->state) == HK_ST_FAULTED) {
                hk_lock_monitor(M.sched, cpu, MONITOR_ID);
                atomic_store(&cp->state, HK_ST_RUNNABLE);
                hk_make_runnable(M.sched, cpu, c, true); /* the fault reply: the parent blocks in receive */
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

static void fire_irqs(void);

/* The event fd rang: a CPU went idle, a faulting PD handed its CPU to the monitor, a PD asks for
 * something, or the virtual timer was programmed. */
static void on_event(void)
{
    uint64_t v;
    if (read(M.event_fd, &v, sizeof v) < 0 && errno != EAGAIN)
        die("event fd: %s", strerror(errno));
    for (unsigned i = 0; i < M.npds; i++) {
        struct hk_fault *f = &M.pd[i].ctl->fault;
        if (atomic_load(&M.sched->pd[i].state) == HK_ST_FAULTED && atomic_load(&f->seq) != M.pd[i].fault_seen)
            handle_fault(i, 0);
        if (atomic_load(&M.pd[i].ctl->req_seq) != atomic_load(&M.pd[i].ctl->ack_seq))
            serve_request(i);
    }
    if (M.timer)
        fire_irqs();
    for (unsigned c = 0; c < M.ncpus; c++)
        monitor_reschedule(c, true);
}

static void timer_read_deadlines(void);

static bool irqs_to_come(void)
{
    if (M.irq_stdin)
        return true;
    if (M.timer)
        timer_read_deadlines(); /* a deadline written just before the system went idle counts */
    for (unsigned k = 0; k < M.nirqs; k++)
        if (!M.irqs[k].done)
            return true;
    return M.timer && M.timer_armed && M.timer_armed != M.timer_fired;
}

/* Quiescent: every CPU idle. A PD still blocked in a ppcall means the system is stuck instead.
 * With several CPUs the check holds every CPU's lock, so it sees one moment of the whole system
 * (a PD on one CPU may otherwise start another CPU between two reads). */
static void check_quiescent(void)
{
    if (irqs_to_come())
        return;
    for (unsigned c = 0; c < M.ncpus; c++)
        hk_lock_monitor(M.sched, c, MONITOR_ID);
    bool idle = true, stuck = false;
    for (unsigned c = 0; c < M.ncpus; c++)
        if (atomic_load(&M.sched->cpu[c].current) != -1 || atomic_load(&M.sched->cpu[c].runnable))
            idle = false;
    for (unsigned i = 0; i < M.npds; i++)
        if (atomic_load(&M.sched->pd[i].state) == HK_ST_CALL)
            stuck = true;
    for (unsigned c = 0; c < M.ncpus; c++)
        hk_unlock(M.sched, c);
    if (!idle)
        return;
    if (!stuck)
        finish(M.unhandled_fault ? 4 : 0);
    if (M.timeout <= 0) {
        pump_output(true);
        report_busy("the system is stuck (nothing can run)");
        finish(3);
    }
}

/* ---- IRQs raised from the command line ---- */
static int parse_irq(const char *spec, struct irq_event *ev)
{
    const char *at = strrchr(spec, '@');
    char *end;
    if (!at || (ev->at = strtod(at + 1, &end), *end) || ev->at < 0) {
        fprintf(stderr, "hostkit: --irq '%s': expected IRQ@SECONDS\n", spec);
        return -1;
    }
    char what[128];
    snprintf(what, sizeof what, "%.*s", (int)(at - spec), spec);
    const char *colon = strchr(what, ':');
    for (unsigned i = 0; i < M.npds; i++) {
        const struct sdf_pd *sp = &M.sys.pds[M.pd[i].sdf];
        for (size_t q = 0; q < sp->nirqs; q++) {
            const struct sdf_irq *irq = &sp->irqs[q];
            bool match = colon ? (!strncmp(what, sp->name, (size_t)(colon - what)) &&
                                  sp->name[colon - what] == 0 && strtoul(colon + 1, NULL, 0) == irq->id)
                               : (irq->kind == SDF_IRQ_CONVENTIONAL && strtoull(what, NULL, 0) == irq->irq);
            if (match) {
                ev->pd = (int)i;
                ev->id = irq->id;
                return 0;
            }
        }
    }
    fprintf(stderr, "hostkit: --irq '%s': no <irq> in the system matches '%s'\n", spec, what);
    return -1;
}

static double elapsed(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - M.start.tv_sec) + (double)(now.tv_nsec - M.start.tv_nsec) / 1e9;
}

static void fire_irqs(void);

/* One line of --irq-stdin: "IRQ" (now) or "IRQ@SECONDS" (after the start), as --irq takes them. */
static void irq_script_line(char *line)
{
    M.stdin_line++;
    line[strcspn(line, "#\r")] = 0;
    char *p = line + strspn(line, " \t");
    p[strcspn(p, " \t")] = 0;
    if (!*p)
        return;
    char spec[160];
    snprintf(spec, sizeof spec, strchr(p, '@') ? "%s" : "%s@0", p);
    struct irq_event ev = {0};
    if (parse_irq(spec, &ev) < 0) {
        fprintf(stderr, "hostkit: --irq-stdin line %u ignored\n", M.stdin_line);
        return;
    }
    unsigned k;
    for (k = 0; k < M.nirqs && !M.irqs[k].done; k++) {
    }
    if (k == sizeof M.irqs / sizeof *M.irqs) {
        fprintf(stderr, "hostkit: --irq-stdin line %u: too many IRQs waiting, ignored\n", M.stdin_line);
        return;
    }
    M.irqs[k] = ev;
    if (k == M.nirqs)
        M.nirqs++;
    fire_irqs();
}

static void read_irq_script(void)
{
    ssize_t n = read(0, M.stdin_buf + M.stdin_len, sizeof M.stdin_buf - 1 - M.stdin_len);
    if (n <= 0) {
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        if (M.stdin_len) { /* a last line without its newline */
            M.stdin_buf[M.stdin_len] = 0;
            irq_script_line(M.stdin_buf);
        }
        M.irq_stdin = false;
        return;
    }
    M.stdin_len += (size_t)n;
    M.stdin_buf[M.stdin_len] = 0;
    char *start = M.stdin_buf, *nl;
    while ((nl = strchr(start, '\n'))) {
        *nl = 0;
        irq_script_line(start);
        start = nl + 1;
    }
    M.stdin_len -= (size_t)(start - M.stdin_buf);
    memmove(M.stdin_buf, start, M.stdin_len);
    if (M.stdin_len == sizeof M.stdin_buf - 1) { /* an over-long line */
        fprintf(stderr, "hostkit: --irq-stdin line %u too long, ignored\n", ++M.stdin_line);
        M.stdin_len = 0;
    }
}

/* Raises the IRQs that are due and arms the timer for the next one. */
/* The latest DEADLINE a PD mapping the virtual timer wrote. */
static void timer_read_deadlines(void)
{
    for (unsigned i = 0; i < M.npds; i++)
        if (M.maps_timer[i]) {
            uint64_t d = atomic_load(&M.pd[i].ctl->timer_deadline);
            if (d != M.timer_armed) {
                M.timer_armed = d;
                M.timer_fired = 0;
            }
        }
}

/* Raises IRQ channel ID of PD (the monitor's interrupt controller). */
static void raise_irq(int pd, unsigned id)
{
    char what[48];
    snprintf(what, sizeof what, "irq (channel %u)", id);
    trace_instant(pd, "irq", what);
    atomic_fetch_or(&M.pd[pd].ctl->irq_pending, 1ull << id);
    atomic_fetch_or(&M.sched->pd[pd].hint, 1ull << id);
    monitor_ready((unsigned)pd);
}

static void fire_irqs(void)
{
    double now = elapsed(), next = -1;
    if (M.timer) {
        timer_read_deadlines();
        if (M.timer_armed && M.timer_armed != M.timer_fired) {
            double at = (double)M.timer_armed / 1e9;
            if (at <= now) {
                M.timer_fired = M.timer_armed;
                M.timer->status |= 1;
                if (M.timer_pd >= 0)
                    raise_irq(M.timer_pd, M.timer_ch);
            } else {
                next = at;
            }
        }
    }
    for (unsigned k = 0; k < M.nirqs; k++) {
        struct irq_event *ev = &M.irqs[k];
        if (ev->done)
            continue;
        if (ev->at <= now) {
            ev->done = true;
            raise_irq(ev->pd, ev->id);
        } else if (next < 0 || ev->at < next) {
            next = ev->at;
        }
    }
    /* Start idle CPUs. A CPU the monitor holds waits for on_event(): a fault is being handled. */
    for (unsigned c = 0; c < M.ncpus; c++)
        if (atomic_load(&M.sched->cpu[c].current) < 0)
            monitor_reschedule(c, false);
    struct itimerspec its = {0};
    if (next >= 0) {
        double d = next - now;
        its.it_value.tv_sec = (time_t)d;
        its.it_value.tv_nsec = (long)((d - (double)(time_t)d) * 1e9) + 1;
    }
    timerfd_settime(M.irq_timer_fd, 0, &its, NULL);
}

/* ---- building the system ---- */
static void usage_run(FILE *f)
{
    fputs("usage: hostkit run [OPTIONS] SYSTEM\n"
          "Runs a Microkit system: each protection domain a process, single-core seL4 scheduling.\n"
          "  --search-path DIR   look for program images in DIR too (repeatable)\n"
          "  --timeout SECONDS   end the run after SECONDS (exit 3), naming the PDs still busy\n"
          "  --until REGEX       end the run (exit 0) at the first output line matching REGEX\n"
          "  --trace FILE.json   write a Chrome/Perfetto trace of every handler, notify, ppcall,\n"
          "                      reply, fault and IRQ (open it in ui.perfetto.dev)\n"
          "  --log               print a line per IPC event on stderr\n"
          "  --sandbox           confine each PD with seccomp to the system calls the runtime needs\n"
          "                      (docs/security.md): open, exec, sockets... fail with EPERM\n"
          "  --cores N           the system's number of CPUs, as the Microkit tool is told (default 1)\n"
          "  --smp               run PDs on the CPUs their cpu attribute names, in parallel;\n"
          "                      without it every PD shares one CPU, as on a single-core seL4\n"
          "  --irq IRQ@SECONDS   raise an IRQ SECONDS after start; IRQ is the number in <irq irq=...>\n"
          "                      or PD:ID (the PD's channel id for it); repeatable\n"
          "  --irq-stdin         read more IRQs from standard input, a line each: IRQ (now) or\n"
          "                      IRQ@SECONDS; the run is not quiescent before end of input\n"
          "  -h, --help          this help\n"
          "Example: hostkit run --timeout 10 --until 'TEST_PASS' examples/ipc/ipc.system\n"
          "Exit status: 0 quiescent, 1 invalid system, 2 bad usage (options), 3 timeout or stuck,\n"
          "4 quiescent after a fault nobody handled.\n",
          f);
}

/* Scheduler indices: PDs sorted by priority, highest first, system order among equals. */
static void order_pds(void)
{
    M.npds = (unsigned)M.sys.npds;
    unsigned n = 0;
    for (int prio = 255; prio >= 0; prio--)
        for (size_t p = 0; p < M.sys.npds; p++)
            if (M.sys.pds[p].priority == prio) {
                M.pd[n].sdf = (int)p;
                M.idx_of[p] = (int)n++;
            }
}

static void build_objects(bool smp)
{
    M.sched_fd = make_memfd("hostkit-sched", sizeof *M.sched);
    M.sched = map_shared(M.sched_fd, sizeof *M.sched);
    struct hk_sched *s = M.sched;
    s->magic = HK_MAGIC;
    s->npds = M.npds;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    s->spin_limit = cores > 1 ? (uint32_t)cores - 1 : 0;
    M.ncpus = 1;
    for (unsigned c = 0; c < HK_MAX_CPUS; c++)
        atomic_store(&s->cpu[c].current, -1);

    for (unsigned i = 0; i < M.npds; i++) {
        const struct sdf_pd *sp = &M.sys.pds[M.pd[i].sdf];
        struct pd_proc *pp = &M.pd[i];
        char name[96];
        snprintf(name, sizeof name, "hostkit-ctl-%s", sp->name);
        pp->ctl_fd = make_memfd(name, sizeof *pp->ctl);
        pp->ctl = map_shared(pp->ctl_fd, sizeof *pp->ctl);
        pp->ctl->magic = HK_MAGIC;
        pp->ctl->layout = HK_LAYOUT;
        pp->ctl->self = (int32_t)i;
        pp->ctl->npds = (int32_t)M.npds;
        snprintf(pp->ctl->name, sizeof pp->ctl->name, "%s", sp->name);
        pp->ctl->passive = sp->passive;
        pp->ctl->budget_ns = sp->budget * 1000u;
        pp->ctl->smp = smp;
        for (int c = 0; c < HK_NCH; c++)
            pp->chan_fds[c] = -1;
        uint32_t cpu = smp ? sp->cpu : 0;
        if (cpu + 1 > M.ncpus)
            M.ncpus = cpu + 1;
        s->pd[i].cpu = M.cpu_of[i] = cpu;
        s->prio[i] = M.prio[i] = sp->priority;
        atomic_store(&s->pd[i].call_to, -1);
        for (size_t q = 0; q < sp->nirqs; q++) {
            pp->ctl->irqs |= 1ull << sp->irqs[q].id;
            pp->ctl->ch[sp->irqs[q].id].kind = HK_CH_IRQ;
        }
    }
    for (unsigned i = 0; i < M.npds; i++) {
        memcpy(M.pd[i].ctl->prio, s->prio, sizeof s->prio);
        for (unsigned j = 0; j < M.npds; j++)
            M.pd[i].ctl->cpu_of[j] = s->pd[j].cpu;
    }
    for (size_t k = 0; k < M.sys.nchannels; k++) {
        const struct sdf_channel *sc = &M.sys.channels[k];
        char name[64];
        snprintf(name, sizeof name, "hostkit-channel-%zu", k);
        int fd = make_memfd(name, sizeof(struct hk_chan));
        for (int e = 0; e < 2; e++) {
            const struct sdf_end *me = &sc->end[e], *peer = &sc->end[e ^ 1];
            struct pd_proc *pp = &M.pd[M.idx_of[me->pd]];
            struct hk_ch_cfg *cfg = &pp->ctl->ch[me->id];
            cfg->kind = HK_CH_CHANNEL;
            cfg->end = (uint8_t)e;
            cfg->pp_out = me->pp;
            cfg->pp_in = peer->pp;
            cfg->peer = M.idx_of[peer->pd];
            cfg->peer_ch = peer->id;
            if (me->notify)
                pp->ctl->notifications |= 1ull << me->id;
            if (me->pp)
                pp->ctl->pps |= 1ull << me->id;
            pp->chan_fds[me->id] = fd;
        }
    }
}

/* Memory regions: one memfd each, prefilled from its file. */
static void build_regions(void)
{
    M.mr_fds = calloc(M.sys.nmrs ? M.sys.nmrs : 1, sizeof *M.mr_fds);
    for (size_t r = 0; r < M.sys.nmrs; r++) {
        const struct sdf_mr *mr = &M.sys.mrs[r];
        char name[96];
        snprintf(name, sizeof name, "hostkit-mr-%s", mr->name);
        M.mr_fds[r] = make_memfd(name, mr->size);
        if (mr->prefill_resolved) {
            FILE *f = fopen(mr->prefill_resolved, "rb");
            if (!f)
                die("cannot read prefill file '%s': %s", mr->prefill_resolved, strerror(errno));
            char buf[65536];
            size_t n;
            off_t off = 0;
            while ((n = fread(buf, 1, sizeof buf, f)) > 0 && (uint64_t)off < mr->size) {
                if (pwrite(M.mr_fds[r], buf, n, off) != (ssize_t)n)
                    die("cannot prefill memory region '%s': %s", mr->name, strerror(errno));
                off += (off_t)n;
            }
            fclose(f);
        }
    }
}

/* The physical address setvar region_paddr gives: the region's own, or for a region the Microkit
 * tool would allocate, a stand-in from a fixed range (documented in docs/semantics.md). */
static uint64_t region_paddr(int r)
{
    const struct sdf_mr *mr = &M.sys.mrs[r];
    if (mr->has_phys_addr)
        return mr->phys_addr;
    uint64_t pa = 0x40000000ull;
    for (int k = 0; k < r; k++)
        if (!M.sys.mrs[k].has_phys_addr)
            pa += (M.sys.mrs[k].size + 0xfffull) & ~0xfffull;
    return pa;
}

static int add_setvar(unsigned i, const char *symbol, uint64_t value)
{
    const struct sdf_pd *sp = &M.sys.pds[M.pd[i].sdf];
    struct hk_ctl *ctl = M.pd[i].ctl;
    uint64_t addr, size;
    bool writable;
    if (elf_find_symbol(sp->image_resolved, symbol, &addr, &size, &writable) < 0) {
        fprintf(stderr, "Error: setvar: symbol '%s' not found in program image '%s' of protection domain '%s'\n",
                symbol, sp->program_image, sp->name);
        return -1;
    }
    if (ctl->nsetvars == HK_MAX_SETVARS) {
        fprintf(stderr, "Error: protection domain '%s' has more than %d setvars\n", sp->name, HK_MAX_SETVARS);
        return -1;
    }
    /* As the Microkit tool, write the value into the whole symbol; it must fit. */
    uint32_t bytes = size && size < 8 ? (uint32_t)size : 8;
    if (bytes < 8 && (value >> (8 * bytes)) != 0) {
        fprintf(stderr, "Error: setvar: value 0x%llx does not fit symbol '%s' (%u bytes) in program image "
                        "'%s' of protection domain '%s'\n",
                (unsigned long long)value, symbol, bytes, sp->program_image, sp->name);
        return -1;
    }
    struct hk_setvar_cfg *v = &ctl->setvars[ctl->nsetvars++];
    v->addr = addr;
    v->value = value;
    v->size = bytes;
    v->readonly = !writable;
    return 0;
}

/* Maps, setvars and children of each PD. Returns -1 after printing an error. */
static int build_pd_extras(void)
{
    M.timer_pd = -1;
    for (unsigned i = 0; i < M.npds; i++) {
        const struct sdf_pd *sp = &M.sys.pds[M.pd[i].sdf];
        struct hk_ctl *ctl = M.pd[i].ctl;
        ctl->parent = M.parent_of[i] = sp->parent >= 0 ? M.idx_of[sp->parent] : -1;
        for (int c = 0; c < HK_NCH; c++)
            ctl->child_pd[c] = -1;
        if (sp->nmaps > HK_MAX_MAPS) {
            fprintf(stderr, "Error: protection domain '%s' has more than %d maps\n", sp->name, HK_MAX_MAPS);
            return -1;
        }
        for (size_t m = 0; m < sp->nmaps; m++) {
            const struct sdf_map *sm = &sp->maps[m];
            const struct sdf_mr *mr = &M.sys.mrs[sm->mr];
            struct hk_map_cfg *hm = &ctl->maps[ctl->nmaps];
            hm->vaddr = sm->vaddr;
            hm->size = mr->size;
            hm->perms = sm->perms;
            snprintf(hm->mr, sizeof hm->mr, "%s", mr->name);
            /* A map without w gets a read-only descriptor: the PD cannot mprotect it writable. */
            int fd = M.mr_fds[sm->mr];
            if (!(sm->perms & SDF_PERM_W)) {
                char path[64];
                snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
                fd = open(path, O_RDONLY | O_CLOEXEC);
                if (fd < 0)
                    die("cannot open a read-only view of memory region '%s': %s", mr->name, strerror(errno));
            }
            M.pd[i].map_fds[ctl->nmaps++] = fd;
            if ((sm->setvar_vaddr && add_setvar(i, sm->setvar_vaddr, sm->vaddr) < 0) ||
                (sm->setvar_size && add_setvar(i, sm->setvar_size, mr->size) < 0) ||
                (sm->setvar_prefill_size && add_setvar(i, sm->setvar_prefill_size, mr->prefill_size) < 0))
                return -1;
        }
        for (size_t m = 0; m < sp->nmaps; m++) {
            const struct sdf_mr *mr = &M.sys.mrs[sp->maps[m].mr];
            if (mr->has_phys_addr && mr->phys_addr == HK_TIMER_PADDR) {
                ctl->timer_vaddr = sp->maps[m].vaddr;
                M.maps_timer[i] = true;
                if (!M.timer)
                    M.timer = map_shared(M.mr_fds[sp->maps[m].mr], sizeof *M.timer);
            }
        }
        for (size_t q = 0; q < sp->nirqs; q++)
            if (sp->irqs[q].kind == SDF_IRQ_CONVENTIONAL && sp->irqs[q].irq == HK_TIMER_IRQ) {
                M.timer_pd = (int)i;
                M.timer_ch = sp->irqs[q].id;
            }
        for (size_t v = 0; v < sp->nsetvars; v++)
            if (add_setvar(i, sp->setvars[v].symbol, region_paddr(sp->setvars[v].region_paddr)) < 0)
                return -1;
        for (size_t q = 0; q < sp->nirqs; q++)
            if (sp->irqs[q].setvar_id && add_setvar(i, sp->irqs[q].setvar_id, sp->irqs[q].id) < 0)
                return -1;
    }
    for (unsigned i = 0; i < M.npds; i++) {
        const struct sdf_pd *sp = &M.sys.pds[M.pd[i].sdf];
        if (sp->parent < 0)
            continue;
        unsigned parent = (unsigned)M.idx_of[sp->parent];
        M.pd[parent].ctl->child_pd[sp->child_id] = (int32_t)i;
        if (sp->setvar_id && add_setvar(parent, sp->setvar_id, sp->child_id) < 0)
            return -1;
    }
    for (size_t k = 0; k < M.sys.nchannels; k++)
        for (int e = 0; e < 2; e++) {
            const struct sdf_end *end = &M.sys.channels[k].end[e];
            if (end->setvar_id && add_setvar((unsigned)M.idx_of[end->pd], end->setvar_id, end->id) < 0)
                return -1;
        }
    for (unsigned i = 0; i < M.npds; i++) {
        M.pd[i].trace_fd = -1;
        M.pd[i].ctl->log = M.log;
        M.pd[i].ctl->sandbox = M.sandbox;
        if (!M.trace_path)
            continue;
        char name[96];
        snprintf(name, sizeof name, "hostkit-trace-%s", pd_name((int)i));
        M.pd[i].trace_fd = make_memfd(name, HK_TRACE_BYTES);
        M.pd[i].trace = map_shared(M.pd[i].trace_fd, HK_TRACE_BYTES);
        M.pd[i].trace->cap = (HK_TRACE_BYTES - sizeof *M.pd[i].trace) / sizeof(struct hk_trace_ev);
        M.pd[i].ctl->trace = 1;
    }
    /* Each PD's channel pages arrive as consecutive fds in channel-id order, then its regions,
     * then its trace buffer (the order start_pd() passes them in). */
    for (unsigned i = 0; i < M.npds; i++) {
        int next_fd = HK_FD_CHAN0;
        for (int c = 0; c < HK_NCH; c++)
            if (M.pd[i].chan_fds[c] >= 0)
                M.pd[i].ctl->ch[c].fd = next_fd++;
        for (uint32_t m = 0; m < M.pd[i].ctl->nmaps; m++)
            M.pd[i].ctl->maps[m].fd = next_fd++;
        M.pd[i].ctl->trace_fd = M.pd[i].trace_fd >= 0 ? next_fd++ : -1;
    }
    return 0;
}

static void start_pd(unsigned i)
{
    fflush(stdout); /* the child must not inherit unwritten output */
    struct pd_proc *pp = &M.pd[i];
    const struct sdf_pd *sp = &M.sys.pds[pp->sdf];
    pid_t monitor = getpid();
    /* vfork: no copy of the monitor's page tables; the child only arranges its fds and execs. */
    pid_t pid = vfork();
    if (pid < 0)
        die("cannot start PD '%s': %s", sp->name, strerror(errno));
    if (pid > 0) {
        pp->pid = pid;
        return;
    }
    /* The PD process: dies with the monitor, holds only its own objects. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != monitor)
        _exit(1);
    int want[5 + HK_NCH + HK_MAX_MAPS], n = 0;
    want[n++] = pp->ctl_fd;
    want[n++] = M.sched_fd;
    want[n++] = M.out_wr;
    want[n++] = M.event_fd;
    for (int c = 0; c < HK_NCH; c++)
        if (pp->chan_fds[c] >= 0)
            want[n++] = pp->chan_fds[c];
    for (uint32_t m = 0; m < pp->ctl->nmaps; m++)
        want[n++] = pp->map_fds[m];
    if (pp->trace_fd >= 0)
        want[n++] = pp->trace_fd;
    int tmp[5 + HK_NCH + HK_MAX_MAPS];
    for (int j = 0; j < n; j++)
        tmp[j] = fcntl(want[j], F_DUPFD, 3 + n); /* above every target, so none is clobbered */
    for (int j = 0; j < n; j++)
        if (tmp[j] < 0 || dup2(tmp[j], 3 + j) < 0)
            _exit(121);
    syscall(SYS_close_range, 3 + n, ~0u, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    char *argv[] = {(char *)sp->name, NULL};
    execv(sp->image_resolved, argv);
    /* no stdio here: a vfork child shares the monitor's memory */
    static const char msg[] = "hostkit: cannot execute a PD's program image\n";
    if (write(2, msg, sizeof msg - 1) < 0) {
        /* nothing more to say it with */
    }
    _exit(127);
}

int cmd_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"search-path", required_argument, NULL, 's'}, {"timeout", required_argument, NULL, 't'},
        {"until", required_argument, NULL, 'u'},       {"smp", no_argument, NULL, 'm'},
        {"irq", required_argument, NULL, 'i'},         {"trace", required_argument, NULL, 'T'},
        {"log", no_argument, NULL, 'l'},               {"cores", required_argument, NULL, 'c'},
        {"sandbox", no_argument, NULL, 'S'},           {"irq-stdin", no_argument, NULL, 'I'},
        {"help", no_argument, NULL, 'h'},              {NULL, 0, NULL, 0},
    };
    const char *paths[64], *irq_specs[64];
    size_t npaths = 0;
    bool smp = false;
    unsigned cores = 1;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 's':
            if (npaths + 1 >= sizeof paths / sizeof *paths)
                die("too many --search-path options");
            paths[npaths++] = optarg;
            break;
        case 't': {
            char *end;
            M.timeout = strtod(optarg, &end);
            if (*end || M.timeout <= 0)
                die("--timeout wants a positive number of seconds, not '%s'", optarg);
            break;
        }
        case 'u': {
            int rc = regcomp(&M.until, optarg, REG_EXTENDED | REG_NOSUB);
            if (rc) {
                char msg[128];
                regerror(rc, &M.until, msg, sizeof msg);
                die("--until '%s': %s", optarg, msg);
            }
            M.have_until = true;
            break;
        }
        case 'm': smp = true; break;
        case 'T': M.trace_path = optarg; break;
        case 'l': M.log = true; break;
        case 'S': M.sandbox = true; break;
        case 'I': M.irq_stdin = true; break;
        case 'c': {
            char *end;
            unsigned long n = strtoul(optarg, &end, 10);
            if (*end || n < 1 || n > HK_MAX_CPUS)
                die("--cores wants a number of CPUs from 1 to %d, not '%s'", HK_MAX_CPUS, optarg);
            cores = (unsigned)n;
            break;
        }
        case 'i':
            if (M.nirqs == sizeof M.irqs / sizeof *M.irqs)
                die("too many --irq options");
            irq_specs[M.nirqs++] = optarg;
            break;
        case 'h': usage_run(stdout); return 0;
        default: usage_run(stderr); return 2;
        }
    }
    if (optind != argc - 1) {
        usage_run(stderr);
        return 2;
    }
    paths[npaths] = NULL;

    struct sdf_options opt;
    sdf_default_options(&opt);
    opt.search_paths = paths;
    opt.cores = cores;
    char err[1024];
    if (sdf_load(argv[optind], &opt, &M.sys, err, sizeof err) < 0) {
        fprintf(stderr, "Error: %s\n", err);
        return 1;
    }
    for (size_t p = 0; p < M.sys.npds; p++)
        if (!M.sys.pds[p].image_resolved) {
            fprintf(stderr, "Error: unable to find program image '%s' for protection domain '%s' "
                            "(looked beside %s and in the search paths)\n",
                    M.sys.pds[p].program_image ? M.sys.pds[p].program_image : "(none)",
                    M.sys.pds[p].name, argv[optind]);
            sdf_free(&M.sys);
            return 1;
        }
    order_pds();
    for (unsigned k = 0; k < M.nirqs; k++)
        if (parse_irq(irq_specs[k], &M.irqs[k]) < 0) {
            sdf_free(&M.sys);
            return 2;
        }
    build_regions();
    build_objects(smp);
    if (build_pd_extras() < 0) {
        sdf_free(&M.sys);
        return 1;
    }

    int pipefd[2];
    if (pipe2(pipefd, O_CLOEXEC) < 0)
        die("pipe: %s", strerror(errno));
    M.out_rd = pipefd[0];
    M.out_wr = pipefd[1];
    fcntl(M.out_rd, F_SETFL, O_NONBLOCK);
    M.event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGCHLD);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    sigprocmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    M.sig_fd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
    M.timer_fd = -1;
    if (M.timeout > 0) {
        M.timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
        struct itimerspec its = {0};
        its.it_value.tv_sec = (time_t)M.timeout;
        its.it_value.tv_nsec = (long)((M.timeout - (double)(time_t)M.timeout) * 1e9);
        timerfd_settime(M.timer_fd, 0, &its, NULL);
    }
    if (M.event_fd < 0 || M.sig_fd < 0)
        die("cannot set up event descriptors: %s", strerror(errno));

    /* All PDs start runnable, in init; the highest-priority one of each CPU goes first. */
    for (unsigned i = 0; i < M.npds; i++) {
        atomic_store(&M.sched->pd[i].state, HK_ST_INIT);
        hk_make_runnable(M.sched, M.cpu_of[i], (int)i, false);
    }
    clock_gettime(CLOCK_MONOTONIC, &M.start);
    for (unsigned i = 0; i < M.npds; i++)
        M.pd[i].ctl->boot_ns = (uint64_t)M.start.tv_sec * 1000000000u + (uint64_t)M.start.tv_nsec;
    /* Each CPU goes to its first PD before the PDs exist, so inits overlap the later execs; a PD
     * finds the CPU already its own when it starts. */
    for (unsigned c = 0; c < M.ncpus; c++) {
        hk_lock_monitor(M.sched, c, MONITOR_ID);
        hk_switch_unlock(M.sched, c, hk_pick(M.sched, c, M.prio), -1);
    }
    for (unsigned i = 0; i < M.npds; i++)
        start_pd(i);

    M.irq_timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    fire_irqs();
    /* poll() skips entries whose fd is negative: no --timeout, no --irq-stdin */
    struct pollfd pfd[6] = {{M.out_rd, POLLIN, 0},       {M.event_fd, POLLIN, 0}, {M.sig_fd, POLLIN, 0},
                            {M.irq_timer_fd, POLLIN, 0}, {M.timer_fd, POLLIN, 0}, {M.irq_stdin ? 0 : -1, POLLIN, 0}};
    for (;;) {
        check_quiescent();
        pfd[5].fd = M.irq_stdin ? 0 : -1;
        if (poll(pfd, 6, -1) < 0 && errno != EINTR)
            die("poll: %s", strerror(errno));
        if (pfd[0].revents)
            pump_output(false);
        if (until_matched)
            finish(0);
        if (pfd[1].revents & POLLIN)
            on_event();
        if (pfd[2].revents & POLLIN) {
            struct signalfd_siginfo si;
            while (read(M.sig_fd, &si, sizeof si) == sizeof si) {
                if (si.ssi_signo == SIGCHLD)
                    reap();
                else {
                    pump_output(true);
                    fprintf(stderr, "hostkit: stopped by %s\n", strsignal((int)si.ssi_signo));
                    finish(128 + (int)si.ssi_signo);
                }
            }
        }
        if (pfd[3].revents & POLLIN) {
            uint64_t ticks;
            if (read(M.irq_timer_fd, &ticks, sizeof ticks) < 0 && errno != EAGAIN)
                die("irq timer: %s", strerror(errno));
            fire_irqs();
        }
        if (pfd[5].revents)
            read_irq_script();
        if (M.timer_fd >= 0 && (pfd[4].revents & POLLIN)) {
            pump_output(true);
            char why[64];
            snprintf(why, sizeof why, "timeout after %g s", M.timeout);
            report_busy(why);
            finish(3);
        }
        if (until_matched)
            finish(0);
    }
}
