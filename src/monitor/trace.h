/* trace.h — writing a run's trace (trace.c). */
#ifndef HOSTKIT_TRACE_H
#define HOSTKIT_TRACE_H
#include <stdbool.h>
#include <stdint.h>

#include "kernel/kobj.h"

struct trace_pd {
    const char *name;
    const struct hk_trace *buf;   /* NULL when the PD has none */
    const struct hk_cfg *cfg;     /* its channels, for pairing */
};

/* Something the monitor saw: a fault, an IRQ raised. */
struct trace_instant {
    uint64_t ts;
    int pd;
    const char *cat;              /* "fault", "irq" or "control" */
    char what[96];
};

/* Writes the Chrome trace-event JSON to PATH; times relative to T0 (ns), the run ended at T_END.
 * 0, or -1 on error. */
int trace_write(const char *path, const struct trace_pd *pds, unsigned npds,
                const struct trace_instant *inst, unsigned ninst, uint64_t t0, uint64_t t_end);
#endif
