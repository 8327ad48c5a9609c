/* verdict.c — what a run is checked against, and the exit status that says how it went:
 *   --until REGEX   ends the run at the first output line it matches; a run that ends otherwise
 *                   has not met it (exit 5);
 *   --expect FILE   lines that must appear in the output, in the file's order (exit 5 if one is
 *                   missing); the format is in docs/testing.md and below (load_expect_line);
 *   --forbid REGEX  lines that must not appear (exit 6);
 *   --strict        libmicrokit's diagnostics, budget overruns and unhandled faults fail the run
 *                   (exit 6).
 * Every output line passes through verdict_line(). verdict_finish() turns the way the run ended
 * into the exit status, and into the cases (one per expectation) of the --junit and --tap reports
 * that report.c writes. */
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/monitor.h"
#include "monitor/report.h"

struct expectation {
    char *text;         /* the line or regex, as the file has it */
    bool is_regex;
    regex_t re;
    unsigned file_line;
    long met_at;        /* the output line that met it (1-based), 0 if none did */
    double met_time;
};

struct forbidden {
    const char *src;
    regex_t re;
    long first_at;      /* first output line matching, 0 if none */
    char *first_line;
    unsigned hits;
};

static struct {
    struct expectation *exp;
    size_t nexp, next;          /* expectations, and the first one not met yet */
    const char *expect_path;
    regex_t until;
    const char *until_src;
    long until_at;
    double until_time;
    struct forbidden forbid[32];
    size_t nforbid;
    bool strict;
    regex_t diag;               /* libmicrokit's diagnostics (--strict) */
    long diag_at;
    char *diag_line;
    unsigned ndiag;
    char faulted[512];          /* PDs that faulted with nobody to handle them, by name */
    unsigned nfaulted;
    long nlines;
    char *out;                  /* the output, for the JUnit report's system-out */
    size_t out_len, out_cap;
    const char *junit_path;
    bool tap;
} V;

/* The whole output kept for the JUnit report, up to this much (then the end is cut off). */
#define OUT_KEEP (4u << 20)

/* Names and messages of the report's cases live here until the run exits. */
static char pool[1 << 16];
static size_t pool_used;
static char *keep(const char *s)
{
    size_t n = strlen(s) + 1;
    if (pool_used + n > sizeof pool)
        return (char *)"(message lost: too many)";
    char *p = memcpy(pool + pool_used, s, n);
    pool_used += n;
    return p;
}

static int compile(regex_t *re, const char *src, const char *what)
{
    int rc = regcomp(re, src, REG_EXTENDED | REG_NOSUB);
    if (rc) {
        char msg[128];
        regerror(rc, re, msg, sizeof msg);
        fprintf(stderr, "hostkit: %s '%s': %s\n", what, src, msg);
        return -1;
    }
    return 0;
}

int verdict_until(const char *regex)
{
    if (V.until_src)
        regfree(&V.until);
    V.until_src = regex;
    return compile(&V.until, regex, "--until");
}

int verdict_forbid(const char *regex)
{
    if (V.nforbid == sizeof V.forbid / sizeof *V.forbid) {
        fprintf(stderr, "hostkit: --forbid: more than %zu\n", sizeof V.forbid / sizeof *V.forbid);
        return -1;
    }
    struct forbidden *f = &V.forbid[V.nforbid];
    f->src = regex;
    if (compile(&f->re, regex, "--forbid") < 0)
        return -1;
    V.nforbid++;
    return 0;
}

/* One line of an --expect file (its newline removed):
 *   - empty, or starting with '#': nothing (a comment);
 *   - "re:REGEX": an output line in which the POSIX extended regex matches (anchor it with ^ and $);
 *   - anything else: an output line equal to it (so a system's expected.txt is an expect file);
 *     a leading backslash is dropped, so "\#", "\re:" and "\\" start a literal line. */
static int load_expect_line(const char *path, unsigned lineno, char *line)
{
    size_t n = strlen(line);
    if (n && line[n - 1] == '\r')
        line[--n] = 0;
    if (n == 0 || line[0] == '#')
        return 0;
    struct expectation *e = realloc(V.exp, (V.nexp + 1) * sizeof *V.exp);
    if (!e) {
        fprintf(stderr, "hostkit: --expect %s: out of memory\n", path);
        return -1;
    }
    V.exp = e;
    e = &V.exp[V.nexp];
    memset(e, 0, sizeof *e);
    e->file_line = lineno;
    if (strncmp(line, "re:", 3) == 0) {
        e->is_regex = true;
        e->text = strdup(line + 3);
        int rc = regcomp(&e->re, e->text, REG_EXTENDED | REG_NOSUB);
        if (rc) {
            char msg[128];
            regerror(rc, &e->re, msg, sizeof msg);
            fprintf(stderr, "hostkit: --expect %s:%u: regex '%s': %s\n", path, lineno, e->text, msg);
            free(e->text);
            return -1;
        }
    } else {
        e->text = strdup(line[0] == '\\' ? line + 1 : line);
    }
    V.nexp++;
    return 0;
}

int verdict_expect_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "hostkit: --expect %s: %s\n", path, strerror(errno));
        return -1;
    }
    V.expect_path = path;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned lineno = 0;
    int rc = 0;
    while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (n && line[n - 1] == '\n')
            line[n - 1] = 0;
        rc = load_expect_line(path, lineno, line);
    }
    free(line);
    fclose(f);
    if (rc == 0 && V.nexp == 0) {
        fprintf(stderr, "hostkit: --expect %s: no expected line in the file\n", path);
        rc = -1;
    }
    return rc;
}

/* What libmicrokit prints when a PD gets the API wrong (include/microkit.h, as libmicrokit 2.3
 * words them): "PD microkit_notify: invalid channel given '5'", "... invalid message register
 * '120'", "... invalid I/O Port ID given '3'", "PD is missing the 'protected' entry point",
 * "microkit_pd_stop: error stopping TCB '1'". Not anchored: the PD may have printed part of a
 * line before. */
#define DIAGNOSTIC_REGEX \
    "microkit_[a-z0-9_]+: (invalid [A-Za-z/ ]+ '[0-9]+'|error )| is missing the '[a-z]+' entry point"

void verdict_strict(void)
{
    V.strict = true;
    if (regcomp(&V.diag, DIAGNOSTIC_REGEX, REG_EXTENDED | REG_NOSUB))
        die("cannot compile the diagnostics regex");
}

void verdict_reports(const char *junit_path, bool tap)
{
    V.junit_path = junit_path;
    V.tap = tap;
}

bool verdict_tap(void) { return V.tap; }

static void keep_output(const char *line)
{
    size_t n = strlen(line) + 1;
    if (V.out_len + n > OUT_KEEP)
        return;
    if (V.out_len + n > V.out_cap) {
        size_t cap = V.out_cap ? V.out_cap * 2 : 65536;
        while (cap < V.out_len + n)
            cap *= 2;
        char *p = realloc(V.out, cap);
        if (!p)
            return;
        V.out = p;
        V.out_cap = cap;
    }
    memcpy(V.out + V.out_len, line, n - 1);
    V.out[V.out_len + n - 1] = '\n';
    V.out_len += n;
}

bool verdict_line(const char *line)
{
    V.nlines++;
    if (V.junit_path)
        keep_output(line);
    if (V.next < V.nexp) {
        struct expectation *e = &V.exp[V.next];
        if (e->is_regex ? regexec(&e->re, line, 0, NULL, 0) == 0 : strcmp(e->text, line) == 0) {
            e->met_at = V.nlines;
            e->met_time = run_seconds();
            V.next++;
        }
    }
    for (size_t k = 0; k < V.nforbid; k++) {
        struct forbidden *f = &V.forbid[k];
        if (regexec(&f->re, line, 0, NULL, 0) == 0 && f->hits++ == 0) {
            f->first_at = V.nlines;
            f->first_line = strdup(line);
        }
    }
    if (V.strict && regexec(&V.diag, line, 0, NULL, 0) == 0 && V.ndiag++ == 0) {
        V.diag_at = V.nlines;
        V.diag_line = strdup(line);
    }
    if (V.until_src && !V.until_at && regexec(&V.until, line, 0, NULL, 0) == 0) {
        V.until_at = V.nlines;
        V.until_time = run_seconds();
        return true;
    }
    return false;
}

void verdict_fault(unsigned i)
{
    size_t used = strlen(V.faulted);
    snprintf(V.faulted + used, sizeof V.faulted - used, "%s%s", used ? ", " : "", pd_name((int)i));
    V.nfaulted++;
}

static const char *const end_words[] = {
    [RUN_QUIESCENT] = "quiescent", [RUN_UNTIL] = "--until matched", [RUN_QUIT] = "the control channel's quit",
    [RUN_TIMEOUT] = "timeout",     [RUN_STUCK] = "stuck",           [RUN_SIGNAL] = "signal",
    [RUN_POWER_OFF] = "the board powered off",
};

/* The budget overruns PDs warned about, "NAME (N), ..." in BUF; their number. The count is the
 * PD's own (its control page): a PD can only lie about itself. */
static unsigned budget_overruns(char *buf, size_t len)
{
    unsigned total = 0;
    buf[0] = 0;
    for (unsigned i = 0; i < M.npds; i++) {
        uint32_t n = atomic_load(&M.pd[i].ctl->warnings);
        if (!n)
            continue;
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "%s%s", used ? ", " : "", pd_name((int)i));
        total += n;
    }
    return total;
}

int verdict_finish(enum run_end end, int run_code, const char *why)
{
    struct report_case cases[64 + sizeof V.forbid / sizeof *V.forbid], *c;
    size_t ncases = 0;
    char msg[1024];
    double now = run_seconds();
    bool unmet = false, failed = false;

    /* the run itself: ended as a run should (under --strict a fault is its own case) */
    bool run_ok = run_code == 0 || (V.strict && run_code == HK_EXIT_FAULT);
    c = &cases[ncases++];
    *c = (struct report_case){"run ends quiescent or at --until", run_ok, now, NULL};
    if (!run_ok) {
        snprintf(msg, sizeof msg, "%s (exit status %d)", why && *why ? why : end_words[end], run_code);
        c->message = keep(msg);
    }

    /* --expect: one case per line of the file */
    size_t shown = V.nexp <= 60 ? V.nexp : 60;
    for (size_t k = 0; k < V.nexp; k++) {
        struct expectation *e = &V.exp[k];
        bool ok = e->met_at != 0;
        unmet |= !ok;
        if (k >= shown)
            continue;
        c = &cases[ncases++];
        snprintf(msg, sizeof msg, "expect %s:%u: %s%s", V.expect_path, e->file_line, e->is_regex ? "re:" : "", e->text);
        *c = (struct report_case){keep(msg), ok, ok ? e->met_time : now, NULL};
        if (!ok) {
            if (k == V.next && k > 0)
                snprintf(msg, sizeof msg, "not in the output after line %ld, which met %s:%u", V.exp[k - 1].met_at,
                         V.expect_path, V.exp[k - 1].file_line);
            else if (k == V.next)
                snprintf(msg, sizeof msg, "not in the output (%ld lines)", V.nlines);
            else
                snprintf(msg, sizeof msg, "not looked for: %s:%u before it was not met", V.expect_path,
                         V.exp[V.next].file_line);
            c->message = keep(msg);
        }
    }
    if (V.until_src) {
        bool ok = V.until_at != 0;
        unmet |= !ok;
        c = &cases[ncases++];
        snprintf(msg, sizeof msg, "until: %s", V.until_src);
        *c = (struct report_case){keep(msg), ok, ok ? V.until_time : now, NULL};
        if (!ok) {
            snprintf(msg, sizeof msg, "no output line matched before the run ended (%s)", why && *why ? why : end_words[end]);
            c->message = keep(msg);
        }
    }
    for (size_t k = 0; k < V.nforbid; k++) {
        struct forbidden *f = &V.forbid[k];
        failed |= f->hits != 0;
        c = &cases[ncases++];
        snprintf(msg, sizeof msg, "forbid: %s", f->src);
        *c = (struct report_case){keep(msg), f->hits == 0, now, NULL};
        if (f->hits) {
            snprintf(msg, sizeof msg, "output line %ld matches: %s%s", f->first_at, f->first_line,
                     f->hits > 1 ? " (and more)" : "");
            c->message = keep(msg);
        }
    }
    if (V.strict) {
        c = &cases[ncases++];
        *c = (struct report_case){"strict: no libmicrokit diagnostic", V.ndiag == 0, now, NULL};
        if (V.ndiag) {
            snprintf(msg, sizeof msg, "%u diagnostic lines, the first (output line %ld): %s", V.ndiag, V.diag_at,
                     V.diag_line);
            c->message = keep(msg);
        }
        char who[512];
        unsigned overruns = budget_overruns(who, sizeof who);
        c = &cases[ncases++];
        *c = (struct report_case){"strict: no handler past its budget", overruns == 0, now, NULL};
        if (overruns) {
            snprintf(msg, sizeof msg, "budget overrun warned about by %s", who);
            c->message = keep(msg);
        }
        c = &cases[ncases++];
        *c = (struct report_case){"strict: no unhandled fault", V.nfaulted == 0, now, NULL};
        if (V.nfaulted) {
            snprintf(msg, sizeof msg, "faulted with nobody to handle it: %s", V.faulted);
            c->message = keep(msg);
        }
        failed |= V.ndiag || overruns || V.nfaulted;
    }

    int code = run_code;
    if (end != RUN_SIGNAL) {
        if (failed)
            code = HK_EXIT_FAILED;
        else if (unmet)
            code = HK_EXIT_UNMET;
    }
    bool checked = V.nexp || V.until_src || V.nforbid || V.strict || V.tap || V.junit_path;
    for (size_t k = 0; k < ncases && checked; k++)
        if (!cases[k].passed)
            fprintf(stderr, "hostkit: FAILED %s: %s\n", cases[k].name, cases[k].message ? cases[k].message : "");
    if (V.tap)
        report_tap(stdout, cases, ncases);
    if (V.junit_path) {
        const char *base = strrchr(M.system_path, '/');
        struct report_suite suite = {base ? base + 1 : M.system_path, M.system_path, now, code, V.out, V.out_len};
        if (report_junit(V.junit_path, &suite, cases, ncases) < 0)
            fprintf(stderr, "hostkit: cannot write --junit '%s': %s\n", V.junit_path, strerror(errno));
    }
    return code;
}
