/* monitor.h — the monitor's state (`hostkit run`), shared by its files, and their functions. The
 * files, from the top down (a file calls only files below it, never one above:
 * tests/test_layers.sh checks it):
 *   monitor.c          the run: arguments, setting it up, the event loop, quiescence, the end
 *   control.c          the control channel (--control, --irq-stdin): a test drives the system
 *   monitor_state.c    what each PD is doing, in words (--timeout's report, a stuck system)
 *   monitor_watch.c    checking the scheduler page PDs share, and lost wake-ups
 *   monitor_faults.c   faults: reports, delivery to parents, restart/stop/resume requests, reaping
 *   monitor_irq.c      IRQs from --irq, the control channel and the devices' timers, when due
 *   monitor_devices.c  the device models of the run's board, bound to the system (its own header)
 *   monitor_debug.c    --gdb (a PD under gdbserver) and --core-dir (core files of faulting PDs)
 *   monitor_boot.c     building the system: kernel objects, regions, setvars, starting PDs
 *   monitor_confine.c  a PD's process between fork and exec: namespaces, privileges, descriptors
 *   monitor_seccomp.c  the seccomp filters of --sandbox (libseccomp)
 *   monitor_output.c   the run's output, in order, to stdout, the checks and the output's watchers
 *   verdict.c          --until, --expect, --forbid, --strict: what the run is checked against,
 *                      and the exit status
 *   report.c           the --junit and --tap reports of those checks
 *   symbolize.c        a backtrace's addresses as function, file and line (elfutils' libdw)
 *   elf.c, trace.c     reading PD images (elf_sym.h), writing --trace (trace.h)
 *   monitor_sched.c    the scheduling actions all of them take: a PD made ready, a CPU given on,
 *                      an IRQ raised
 *   run_state.c        the bottom: the state M, PD names, the run's clock, ending the run
 * Everything the monitor decides comes from this structure, never from a page a PD can write. */
#ifndef HOSTKIT_MONITOR_H
#define HOSTKIT_MONITOR_H

#include <poll.h>
#include <regex.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "kernel/kobj.h"
#include "sdf/sdf.h"
#include "monitor/trace.h"

#define MONITOR_ID HK_MAX_PDS /* the monitor's index in locks and as a CPU holder */

/* Exit status of `hostkit run` (usage_run() and docs/hostkit.1 say the same). */
enum {
    HK_EXIT_OK = 0,      /* quiescent (or --until matched, or the control channel's quit) */
    HK_EXIT_INVALID = 1, /* invalid system, or the run could not be set up */
    HK_EXIT_USAGE = 2,   /* bad options */
    HK_EXIT_TIMEOUT = 3, /* --timeout, or a stuck system (a PD blocked for ever in a ppcall) */
    HK_EXIT_FAULT = 4,   /* a PD faulted with nobody to handle it */
    HK_EXIT_UNMET = 5,   /* an expectation was not met: --until never matched, an --expect line missing */
    HK_EXIT_FAILED = 6,  /* a failure was seen: a --forbid line; with --strict a libmicrokit
                            diagnostic, a budget overrun or an unhandled fault */
};
/* How a run ended. */
enum run_end { RUN_QUIESCENT, RUN_UNTIL, RUN_QUIT, RUN_TIMEOUT, RUN_STUCK, RUN_SIGNAL, RUN_POWER_OFF };

/* A PD's memory of one channel id: what it writes and reads (memfds; -1 where it holds none). */
struct pd_chan {
    int out_fd;             /* the signal page it sends on (it may notify) */
    int in_fd;              /* a read-only descriptor of the signal page it receives on */
    int call_fd;            /* the call slot (a pp end on the channel) */
    struct hk_signal *in;   /* our mapping of the page it receives on (monitor_watch.c reads it;
                               the control channel's notify writes it, as its sender would) */
    const struct hk_call *call;  /* ... and of the call slot */
};

struct pd_proc {
    int sdf;                /* index in sys.pds */
    pid_t pid;
    int cfg_fd, ctl_fd;
    struct hk_cfg *cfg;     /* the only writable mapping of the PD's configuration */
    struct hk_ctl *ctl;
    int event_fd;           /* its own: it rings the monitor with it */
    uint32_t fault_seen;    /* ctl->fault.seq already reported */
    struct pd_chan chan[HK_NCH];
    int map_fds[HK_MAX_MAPS];
    int trace_fd;
    struct hk_trace *trace;
    unsigned lost_wakeups;  /* wake-ups monitor_watch.c had to make up for it */
};

/* How far this host lets the monitor confine PDs (monitor_confine.c, docs/security.md). */
enum confine_level {
    CONFINE_NONE = 0,       /* no namespaces: a PD sees the host's processes (privileges dropped) */
    CONFINE_NS,             /* own user, PID, mount and network namespaces; the host's /proc */
    CONFINE_FULL,           /* ... and a /proc of its own PID namespace: it sees itself alone */
};

/* An IRQ raised from the command line: --irq NUMBER@SECONDS or --irq PD:ID@SECONDS. */
struct irq_event {
    int pd;                 /* scheduler index */
    unsigned id;            /* the PD's channel id for the IRQ */
    double at;              /* seconds after start */
    bool done;
};

struct monitor {
    struct sdf_system sys;
    struct hk_sched *sched;
    int sched_fd, out_rd, out_wr, event_fd, sig_fd, timer_fd;
    int null_fd, self_pidfd;    /* /dev/null (PDs' stdin), and a pidfd of the monitor (confine) */
    enum confine_level confine;
    const char *confine_why;    /* what keeps it below CONFINE_FULL */
    unsigned uid, gid;          /* the monitor's, mapped to themselves in a PD's user namespace */
    /* the filters, compiled once for HK_SELF_STANDIN (monitor_seccomp.c) */
    uint64_t runtime_filter[HK_FILTER_MAX], exec_filter[HK_FILTER_MAX];
    uint32_t runtime_filter_len, exec_filter_len;
    uint64_t next_watch_ns;     /* when monitor_watch.c looks at the scheduler page next */
    unsigned watch_strikes;     /* consecutive looks that found it inconsistent */
    unsigned npds, ncpus;
    struct pd_proc pd[HK_MAX_PDS];
    int idx_of[SDF_MAX_PDS];    /* scheduler index of each sdf PD */
    uint8_t prio[HK_MAX_PDS];   /* priorities by scheduler index: our own copy, never the shared one */
    uint32_t cpu_of[HK_MAX_PDS];  /* likewise each PD's CPU */
    int parent_of[HK_MAX_PDS];    /* likewise each PD's parent (-1 for none) */
    double timeout;
    bool unhandled_fault;
    const char *system_path;
    char line[8192];
    size_t line_len;
    int *mr_fds;                /* one memfd per memory region */
    struct irq_event irqs[256];
    unsigned nirqs;
    int irq_timer_fd;
    struct timespec start;
    const char *trace_path;
    bool log, sandbox;
    struct trace_instant instants[1024];
    unsigned ninstants;
    bool control_on_stdin;          /* the control channel reads standard input (--irq-stdin) */
    const char *core_dir;           /* --core-dir */
    bool coverage;                  /* --coverage: PDs write their gcov counters at the end */
    int gdb_pd;                     /* --gdb: its scheduler index, -1 for none */
    char *gdb_argv[8];              /* ... the gdbserver command that starts it */
    bool gdb_holds_cpus;            /* ... and until it lets that PD run, the monitor keeps every CPU */
};
extern struct monitor M;

/* run_state.c */
uint64_t run_clock_ns(void);        /* CLOCK_MONOTONIC, in ns */
double run_seconds(void);           /* since the system started */
const char *pd_name(int i);
int pd_index(const char *name);     /* scheduler index of the PD named NAME, -1 if none */
void trace_instant(int pd, const char *cat, const char *what); /* an instant event for --trace */
int die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2))); /* a setup error: exit 1 */
/* Ends the run: the output drained, every PD ended, the trace written, the checks made (the exit
 * status is theirs: CODE is how the run itself ended, WHY says it in words). */
typedef void run_ender(enum run_end end, int code, const char *why); /* it does not return */
void end_run(enum run_end end, int code, const char *why) __attribute__((noreturn));
void run_ends_with(run_ender *fn);  /* the event loop's ending, set once before the run starts */

/* monitor_sched.c */
void monitor_ready(unsigned i);     /* PD i runnable if it waits in receive */
void monitor_reschedule(uint32_t cpu, bool take_from_monitor);
/* Raises IRQ channel ID of PD (scheduler index), as seL4 signals an IRQ's notification. */
void monitor_raise_irq(int pd, unsigned id);
/* With PD's CPU locked: PD, waiting in receive, is woken with WAKE as its badge (0: none) (true),
 * or is not waiting (false: the caller leaves the event pending). */
bool monitor_wake_locked(int pd, uint32_t wake);
/* A level-triggered line of PD's IRQ channel ID: high, pending unless it already is; low, a
 * pending delivery withdrawn. */
void monitor_irq_level(int pd, unsigned id, bool high);

/* verdict.c */
int verdict_until(const char *regex);
int verdict_forbid(const char *regex);
int verdict_expect_file(const char *path);
void verdict_strict(void);
void verdict_reports(const char *junit_path, bool tap);
bool verdict_tap(void);
bool verdict_line(const char *line); /* an output line, without its newline: true if --until matched */
void verdict_fault(unsigned i);      /* PD i faulted with nobody to handle it */
int verdict_finish(enum run_end end, int run_code, const char *why);

/* monitor_output.c */
/* Who watches the output besides stdout and the checks: LINE each complete line (without its line
 * end), BYTES the bytes as they are printed; either may be NULL. */
void output_watchers(void (*line)(const char *line), void (*bytes)(const char *bytes, size_t n));
void output_uart_console(void);     /* stdout as the console of a board whose seL4 prints on a UART */
void pump_output(bool drain);       /* prints what the PDs wrote (all of it when DRAIN) */
/* Bytes into the run's ordered output (a device's), after all the PDs printed before. */
void monitor_output(const char *bytes, size_t n);
bool output_until_matched(void);    /* --until's line was printed: the run ends */
void output_end(void);              /* the last of the output, before the run's reports */

/* symbolize.c */
int symbolize(const char *image, uint64_t addr, bool return_address, char *out, size_t len);
void symbolize_done(void);

/* monitor_seccomp.c */
/* Compiles the exec filter (EXEC_FILTER) or the runtime one for a PD whose pid is SELF into PROG
 * (at most MAX instructions, *LEN of them); 0, or -1. */
int seccomp_compile(bool exec_filter, int32_t self, uint64_t *prog, uint32_t max, uint32_t *len);
/* Enters filter PROG (with no new privileges): 0, or -1 with errno. */
int seccomp_enter(const uint64_t *prog, uint32_t len);
/* The stand-in pid the filters are compiled for, replaced in a copy by SELF: 0, or -1 if the
 * program does not name it (its comparison for tgkill and tkill). */
#define HK_SELF_STANDIN 0x1dc0ffee
int seccomp_patch_self(uint64_t *prog, uint32_t len, int32_t self);

/* monitor_confine.c */
void confine_setup(void);
/* Starts PD i's process, confined, holding FDS as its descriptors 3, 4, ...; its pid. */
pid_t confine_spawn(unsigned i, const int *fds, int nfds);

/* monitor_boot.c */
void order_pds(void);
void build_regions(void);
void build_objects(bool smp);
int build_pd_extras(void);
void start_pd(unsigned i);

/* monitor_debug.c */
int debug_gdb(const char *pd);       /* --gdb PD, after order_pds(); -1 after a message */
bool debug_holding_cpus(void);       /* the monitor keeps every CPU until gdb lets the PD run */
int debug_poll_timeout(void);
void debug_check(void);
void debug_core(unsigned i);         /* --core-dir: a core file of PD i, which faulted */

/* monitor_irq.c */
int parse_irq(const char *spec, struct irq_event *ev); /* --irq SPEC */
int irq_command(const char *spec, char *err, size_t len); /* an IRQ now or at IRQ@SECONDS */
void fire_irqs(void);                /* raises those due, arms the timer for the next */
bool irqs_to_come(void);

/* monitor_faults.c */
void handle_fault(unsigned i, int status);
void serve_request(unsigned i);
void reap(void);

/* monitor_watch.c */
bool watch_check(bool quiescent);
int watch_timeout_ms(void);
bool watch_report_busy(const char *why);

/* monitor_state.c */
const char *state_text(unsigned i, char *buf, size_t len);
void report_busy(const char *why);

/* control.c */
int control_open(const char *spec);  /* --control FD|PATH, or "-" for --irq-stdin; -1 after a message */
int control_poll_fds(struct pollfd *pfd, int max);
void control_handle(const struct pollfd *pfd, int n);
int control_poll_timeout(void);      /* ms until a control wait times out, -1 for none */
void control_output_line(const char *line);
void control_check(void);            /* after each event: a ppcall replied, a wait timed out */
bool control_keeps_running(void);    /* the run may not end by itself while true */
void control_system_idle(bool stuck);
void control_run_ends(const char *why);

/* monitor.c */
void on_event(void);

#endif
