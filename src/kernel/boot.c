/* boot.c — a PD process becomes a seL4 thread: hk_boot(), called first by libmicrokit's main(),
 * makes the process non-dumpable (so no other
 * process of the user can read its memory or descriptors through /proc), maps the kernel objects
 * the monitor handed it (its configuration read-only, its control page, the scheduler, its
 * channel pages; kobj.h's descriptors), builds its address space (regions at their vaddr,
 * setvars: vspace.c), installs the fault handlers, enters the sandbox if asked and waits to be
 * given its CPU; then main() starts the thread at its entry point (hk_thread_start, below), where
 * a restart starts it again.
 * This is the work the Microkit tool, the loader and the monitor do on seL4 before a PD's first
 * instruction. */
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "kernel/host.h"
#include "kernel/cpu.h"

static void *map_fd(int fd, size_t size, int prot)
{
    void *p = mmap(NULL, size, prot, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        fprintf(stderr, "hostkit: PD cannot map its kernel objects (fd %d): %s\n", fd, strerror(errno));
        _exit(120);
    }
    hk_sys_close(fd);
    return p;
}

static void on_exit_hook(void) { hk_out_flush(); }

void hk_boot(int argc, char **argv)
{
    (void)argc;
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    /* the configuration: read-only (the monitor sealed it: a writable mapping would fail) */
    hk_cfg = map_fd(HK_FD_CFG, sizeof *hk_cfg, PROT_READ);
    if (hk_cfg == NULL || hk_cfg->magic != HK_MAGIC) {
        fprintf(stderr, "%s: this is a hostkit PD image; run it with `hostkit run SYSTEM`\n", argv[0]);
        exit(2);
    }
    if (hk_cfg->layout != HK_LAYOUT) {
        fprintf(stderr, "hostkit: PD '%s' was built with another libhostkit than this hostkit's; rebuild it\n",
                hk_cfg->name);
        exit(2);
    }
    memcpy(hk_name, hk_cfg->name, sizeof hk_name - 1);
    hk_ctl = map_fd(HK_FD_CTL, sizeof *hk_ctl, PROT_READ | PROT_WRITE);
    hk_sched = map_fd(HK_FD_SCHED, sizeof *hk_sched, PROT_READ | PROT_WRITE);
    for (int i = 0; i < HK_NCH; i++) {
        const struct hk_ch_cfg *c = &hk_cfg->ch[i];
        if (c->kind != HK_CH_CHANNEL)
            continue;
        if (c->fd_out >= 0)
            hk_signal_out[i] = map_fd(c->fd_out, sizeof(struct hk_signal), PROT_READ | PROT_WRITE);
        if (c->fd_in >= 0)
            hk_signal_in[i] = map_fd(c->fd_in, sizeof(struct hk_signal), PROT_READ);
        if (c->fd_call >= 0)
            hk_call[i] = map_fd(c->fd_call, sizeof(struct hk_call), PROT_READ | PROT_WRITE);
    }
    hk_self = hk_cfg->self;
    for (int i = 0; i < hk_cfg->npds && i < HK_MAX_PDS; i++)
        hk_same_prio_of[i] = hk_same_prio(hk_cfg->prio, (unsigned)hk_cfg->npds, i);
    hk_cpu = hk_cfg->cpu_of[hk_self];
    hk_image_setup(hk_cfg);
    hk_devices_setup(hk_cfg);
    hk_fault_setup();
    hk_coverage_setup();
    atexit(on_exit_hook);

    if (hk_cfg->trace) {
        hk_trace = mmap(NULL, HK_TRACE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, hk_cfg->trace_fd, 0);
        if (hk_trace == MAP_FAILED)
            hk_trace = NULL;
        hk_sys_close(hk_cfg->trace_fd);
    }
    hk_log_ipc = hk_cfg->log != 0;

    if (hk_cfg->sandbox && hostkit_sandbox_enter() < 0) {
        fprintf(stderr, "hostkit: PD '%s' cannot enter the sandbox: %s\n", hk_cfg->name, strerror(errno));
        _exit(123);
    }
    hk_budget_start(hk_cfg->budget_ns);
    hk_wait_cpu();
}

/* The thread starts here (libmicrokit's main, after hk_boot), and starts here again at each
 * restart (tcb.c says how seL4 restarts a child: its registers rewritten, its memory kept). */
static void (*thread_entry)(void);

void hk_thread_start(void (*entry)(void))
{
    thread_entry = entry;
    hk_restarts_seen = atomic_load(&hk_ctl->restart_seq);
    if (sigsetjmp(hk_restart_point, 1)) {
        /* restarted: nothing received or owed any more, no handler running */
        hk_ipc_reset();
        hk_budget_running = false;
        uint64_t entry = hk_ctl->restart_entry;
        if (hk_in_image_code(entry)) {
            ((void (*)(void))(uintptr_t)entry)();
            static volatile uintptr_t nowhere = 0;
            *(volatile uint64_t *)nowhere = 0; /* it returned: a fault at address 0 */
        }
    }
    thread_entry();
    _exit(0); /* libmicrokit's start does not return */
}
