/* monitor.h — the monitor's state (`hostkit run`), shared by its four files:
 *   monitor.c         the run: arguments, the event loop, PD output, quiescence, CPU hand-offs
 *   monitor_boot.c    building the system: kernel objects, regions, setvars, starting PDs
 *   monitor_faults.c  faults: reports, delivery to parents, restart/stop/resume requests, reaping
 *   monitor_irq.c     IRQs from --irq, --irq-stdin and the device models
 *   monitor_devices.c the device models of the run's board, bound to the system (its own header)
 * Everything the monitor decides comes from this structure, never from a page a PD can write. */
#ifndef HOSTKIT_MONITOR_H
#define HOSTKIT_MONITOR_H

#include <regex.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "kernel/kobj.h"
#include "sdf/sdf.h"
#include "monitor/trace.h"

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

struct monitor {
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
    struct trace_instant instants[1024];
    unsigned ninstants;
};
extern struct monitor M;

void build_objects(bool smp);
int build_pd_extras(void);
void build_regions(void);
int die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
void fire_irqs(void);
void handle_fault(unsigned i, int status);
bool irqs_to_come(void);
void monitor_ready(unsigned i);
/* Raises IRQ channel ID of PD (scheduler index), as seL4 signals an IRQ's notification. */
void monitor_raise_irq(int pd, unsigned id);
/* A level-triggered line of PD's IRQ channel ID: high, pending unless it already is; low, a
 * pending delivery withdrawn. */
void monitor_irq_level(int pd, unsigned id, bool high);
/* Bytes into the run's ordered output (a device's), after all the PDs printed before. */
void monitor_output(const char *bytes, size_t n);
void monitor_reschedule(uint32_t cpu, bool take_from_monitor);
void on_event(void);
void order_pds(void);
int parse_irq(const char *spec, struct irq_event *ev);
const char *pd_name(int i);
void pump_output(bool drain);
void read_irq_script(void);
void reap(void);
void serve_request(unsigned i);
void start_pd(unsigned i);
void trace_instant(int pd, const char *cat, const char *what);

#endif
