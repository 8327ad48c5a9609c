/* bench_pd.h — helpers for the benchmark PDs (bench/systems/SYS/): a monotonic clock, the time budget
 * of one measurement, and the "BENCH key value" lines that bench/bench.c collects from hostkit's
 * stdout. Host-only code (clock_gettime, getenv, snprintf): bench PDs are never built for seL4. */
#ifndef BENCH_PD_H
#define BENCH_PD_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <microkit.h>

static inline uint64_t bench_now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* How long one measurement runs: $HK_BENCH_MS milliseconds (bench.c sets it), default 200. */
static inline uint64_t bench_budget_ns(void)
{
    const char *s = getenv("HK_BENCH_MS");
    long ms = s ? atol(s) : 0;
    return (uint64_t)(ms > 0 ? ms : 200) * 1000000u;
}

/* Prints "BENCH key value" (value with two decimals) as one line of debug output. */
static inline void bench_report(const char *key, double value)
{
    char line[128];
    snprintf(line, sizeof line, "BENCH %s %.2f\n", key, value);
    microkit_dbg_puts(line);
}

/* Prints "BENCH_ERROR what" for bench.c to show: a reply was not what was sent. */
static inline void bench_error(const char *what)
{
    microkit_dbg_puts("BENCH_ERROR ");
    microkit_dbg_puts(what);
    microkit_dbg_puts("\n");
}

/* Runs op() in batches until the budget has passed (after a warm-up batch); returns ns per op. */
static inline double bench_time(void (*op)(void), unsigned batch)
{
    for (unsigned i = 0; i < batch; i++)
        op();
    uint64_t budget = bench_budget_ns(), n = 0, start = bench_now_ns(), el;
    do {
        for (unsigned i = 0; i < batch; i++)
            op();
        n += batch;
        el = bench_now_ns() - start;
    } while (el < budget);
    return (double)el / (double)n;
}

#endif
