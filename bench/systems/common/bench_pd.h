/* bench_pd.h — helpers for the benchmark PDs (bench/systems/SYS/), which build unchanged for hostkit
 * and for seL4 (the Microkit SDK; `make bench` boots them in QEMU for its seL4 column).
 *
 * bench_measure(key, op, batch, unit) is one measurement of op():
 *  - on hostkit (a hosted build, __STDC_HOSTED__): op() runs in batches for $HK_BENCH_MS
 *    milliseconds (bench.c sets it; default 200) after a warm-up batch, and the PD prints
 *    "BENCH key value" (ns per op, or millions of ops per second), which bench.c collects from
 *    hostkit's stdout;
 *  - on seL4 (freestanding: no clock, no libc): after a warm-up batch, op() runs BENCH_SEL4_OPS
 *    times between the lines "BENCH_BEGIN key N" and "BENCH_END key", and bench.c timestamps
 *    the two lines as they arrive on QEMU's serial output.
 * bench_has_clock() says whether the PD can read a clock itself (bench_now_ns() is 0 when not). */
#ifndef BENCH_PD_H
#define BENCH_PD_H

#include <stdint.h>

#include <microkit.h>
#include <microkit_dbgfmt.h>

enum bench_unit { BENCH_NS_PER_OP, BENCH_MILLIONS_PER_S };

#ifndef BENCH_SEL4_OPS
#define BENCH_SEL4_OPS 20000u
#endif

/* Prints "BENCH_ERROR what" for bench.c to show: a reply was not what was sent. */
static inline void bench_error(const char *what)
{
    microkit_dbg_puts("BENCH_ERROR ");
    microkit_dbg_puts(what);
    microkit_dbg_puts("\n");
}

#if __STDC_HOSTED__
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline int bench_has_clock(void) { return 1; }

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

static inline void bench_measure(const char *key, void (*op)(void), unsigned batch, enum bench_unit unit)
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
    double ns = (double)el / (double)n;
    bench_report(key, unit == BENCH_MILLIONS_PER_S ? 1e3 / ns : ns);
}
#else
static inline int bench_has_clock(void) { return 0; }
static inline uint64_t bench_now_ns(void) { return 0; }
static inline uint64_t bench_budget_ns(void) { return 0; }
static inline void bench_report(const char *key, double value)
{
    (void)key;
    (void)value;
}

static inline void bench_measure(const char *key, void (*op)(void), unsigned batch, enum bench_unit unit)
{
    (void)unit; /* bench.c knows each figure's unit */
    for (unsigned i = 0; i < batch; i++)
        op();
    microkit_dbg_puts("BENCH_BEGIN ");
    microkit_dbg_puts(key);
    microkit_dbg_puts(" ");
    dbgfmt_put_dec(BENCH_SEL4_OPS);
    microkit_dbg_puts("\n");
    for (unsigned i = 0; i < BENCH_SEL4_OPS; i++)
        op();
    microkit_dbg_puts("BENCH_END ");
    microkit_dbg_puts(key);
    microkit_dbg_puts("\n");
}
#endif

#endif
