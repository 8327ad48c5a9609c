/* report.h — the reports of a run's checks (report.c), one case per expectation (verdict.c). */
#ifndef HOSTKIT_MONITOR_REPORT_H
#define HOSTKIT_MONITOR_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct report_case {
    const char *name;
    bool passed;
    double seconds;      /* since the start: when it was met, or when the run ended */
    const char *message; /* why it failed (NULL when it passed) */
};

struct report_suite {
    const char *name;    /* the system file's name */
    const char *path;    /* ... as given */
    double seconds;      /* the run's length */
    int exit_status;
    const char *output;  /* the system's output (stdout), OUTPUT_LEN bytes */
    size_t output_len;
};

/* TAP version 13 on F: the plan, then a line per case, a failure's message as a YAML block. */
void report_tap(FILE *f, const struct report_case *cases, size_t n);
/* A JUnit XML report (the Ant/Jenkins layout of tests/junit.xsd) at PATH: 0, or -1 (errno). */
int report_junit(const char *path, const struct report_suite *suite, const struct report_case *cases, size_t n);

#endif
