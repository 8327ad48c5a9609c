/* pd.h — what the files of libhostkit (a PD's side of hostkit) share:
 *   libhostkit.c  main(), the event loop, and the kernel operations behind microkit.h
 *   dbg.c         debug output (microkit_dbg_*), kept in order with the other PDs'
 *   budget.c      warning about handlers that run past the PD's budget
 *   image.c       the PD's own address space: regions at their vaddr, setvars, backtraces
 *   sandbox.c     the seccomp allow-list of --sandbox
 * Names exported from the library start with hk_ or hostkit_, so they cannot meet a PD's own. */
#ifndef HOSTKIT_PD_H
#define HOSTKIT_PD_H

#include <stdint.h>
#include <time.h>
#include <ucontext.h>

#include "kernel/kobj.h"

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

/* dbg.c: writes out the buffered debug output (before this PD gives up its CPU). */
void hk_out_flush(void);

/* budget.c */
void hk_budget_start(uint64_t budget_ns); /* before init, which is measured precisely */
void hk_budget_init_done(void);           /* after init: the cheap check from now on */
uint64_t hk_budget_begin(void);           /* a handler starts; returns the time to pass on */
extern bool hk_budget_running;            /* between those two: waits are timed, to be left out */
void hk_budget_waited(uint64_t ticks);    /* time the handler spent without the CPU */
void hk_budget_check(uint64_t begin, const char *handler, unsigned ch);

/* image.c */
void hk_image_setup(const struct hk_ctl *ctl); /* regions and setvars, before init */
void hk_backtrace(struct hk_fault *f, const ucontext_t *uc);

/* sandbox.c */
int hostkit_sandbox_enter(void);

#endif
