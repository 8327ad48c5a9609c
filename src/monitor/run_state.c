/* run_state.c — the bottom of the monitor: the run's state (struct monitor M, monitor.h) and the
 * small things every other file of the monitor needs of it: a PD's name and index, the run's
 * clock, trace instants, dying on a setup error, and ending the run. It calls no other file of the
 * monitor: every arrow between the monitor's files points down, towards here (tests/test_layers.sh
 * checks it). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "monitor/monitor.h"

struct monitor M;

uint64_t run_clock_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

double run_seconds(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - M.start.tv_sec) + (double)(now.tv_nsec - M.start.tv_nsec) / 1e9;
}

/* An instant event for the trace (faults, IRQs). */
void trace_instant(int pd, const char *cat, const char *what)
{
    if (!M.trace_path || M.ninstants == sizeof M.instants / sizeof *M.instants)
        return;
    struct trace_instant *t = &M.instants[M.ninstants++];
    t->ts = run_clock_ns();
    t->pd = pd;
    t->cat = cat;
    snprintf(t->what, sizeof t->what, "%s", what);
}

int die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("hostkit: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    exit(1);
}

const char *pd_name(int i) { return M.sys.pds[M.pd[i].sdf].name; }

int pd_index(const char *name)
{
    for (unsigned i = 0; i < M.npds; i++)
        if (strcmp(pd_name((int)i), name) == 0)
            return (int)i;
    return -1;
}

/* ---- ending the run: the event loop (monitor.c) says how, once, before the run starts; the
 * files below it (the control channel's quit, a corrupt scheduler page) end the run through here
 * without calling up into it ---- */
static run_ender *ender;

void run_ends_with(run_ender *fn) { ender = fn; }

void end_run(enum run_end end, int code, const char *why)
{
    if (!ender)
        die("the run ended before it started (%s)", why ? why : "no reason given");
    ender(end, code, why);
    exit(code); /* not reached: the ender exits */
}
