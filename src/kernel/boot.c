/* boot.c — a PD process becomes a seL4 thread: main() maps the kernel objects the monitor handed
 * it (its control page, the scheduler, its channel pages; kobj.h's descriptors), builds its
 * address space (regions at their vaddr, setvars: vspace.c), installs the fault handlers, enters
 * the sandbox if asked, waits to be given its CPU and starts the thread at its entry point
 * (libmicrokit's start), which it never leaves. This is the work the Microkit tool, the loader
 * and the monitor do on seL4 before a PD's first instruction. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kernel/host.h"
#include "kernel/cpu.h"

struct hk_ctl *hk_ctl;
struct hk_sched *hk_sched;
struct hk_chan *hk_chan[HK_NCH];
int hk_self;
uint32_t hk_cpu;
uint64_t hk_same_prio_of[HK_MAX_PDS];
struct hk_trace *hk_trace;
bool hk_log_ipc;
char hk_name[64];

void hk_thread_start(void) __attribute__((noreturn)); /* tcb.c */

static void *map_fd(int fd, size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) {
        fprintf(stderr, "hostkit: PD cannot map its kernel objects (fd %d): %s\n", fd, strerror(errno));
        _exit(120);
    }
    hk_sys_close(fd);
    return p;
}

static void on_exit_hook(void) { hk_out_flush(); }

int main(int argc, char **argv)
{
    (void)argc;
    hk_ctl = map_fd(HK_FD_CTL, sizeof *hk_ctl);
    if (hk_ctl == NULL || hk_ctl->magic != HK_MAGIC) {
        fprintf(stderr, "%s: this is a hostkit PD image; run it with `hostkit run SYSTEM`\n", argv[0]);
        return 2;
    }
    if (hk_ctl->layout != HK_LAYOUT) {
        fprintf(stderr, "hostkit: PD '%s' was built with another libhostkit than this hostkit's; rebuild it\n",
                hk_ctl->name);
        return 2;
    }
    memcpy(hk_name, hk_ctl->name, sizeof hk_name - 1); /* the page is the PD's to scribble on */
    hk_sched = map_fd(HK_FD_SCHED, sizeof *hk_sched);
    for (int i = 0; i < HK_NCH; i++)
        if (hk_ctl->ch[i].kind == HK_CH_CHANNEL)
            hk_chan[i] = map_fd(hk_ctl->ch[i].fd, sizeof(struct hk_chan));
    hk_self = hk_ctl->self;
    for (int i = 0; i < hk_ctl->npds && i < HK_MAX_PDS; i++)
        hk_same_prio_of[i] = hk_same_prio(hk_ctl->prio, (unsigned)hk_ctl->npds, i);
    hk_cpu = hk_ctl->cpu_of[hk_self];
    hk_image_setup(hk_ctl);
    hk_devices_setup(hk_ctl); /* copied: the control page is the PD's to scribble on */
    hk_fault_setup();
    hk_coverage_setup();
    atexit(on_exit_hook);

    if (hk_ctl->trace) {
        hk_trace = mmap(NULL, HK_TRACE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, hk_ctl->trace_fd, 0);
        if (hk_trace == MAP_FAILED)
            hk_trace = NULL;
        hk_sys_close(hk_ctl->trace_fd);
    }
    hk_log_ipc = hk_ctl->log != 0;

    if (hk_ctl->sandbox && hostkit_sandbox_enter() < 0) {
        fprintf(stderr, "hostkit: PD '%s' cannot enter the sandbox: %s\n", hk_ctl->name, strerror(errno));
        _exit(123);
    }
    hk_budget_start(hk_ctl->budget_ns);
    hk_wait_cpu();
    hk_thread_start();
}
