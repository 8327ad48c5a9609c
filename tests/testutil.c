/* testutil.c — see testutil.h. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <dirent.h>

#include "testutil.h"

const char *hostkit_path(void)
{
    const char *p = getenv("HOSTKIT");
    return p && *p ? p : "build/hostkit";
}

const char *build_dir(void)
{
    const char *p = getenv("BUILD");
    return p && *p ? p : "build";
}

struct buf {
    char *data;
    size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) {
            perror("testutil: realloc");
            abort();
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads what is available on *fd into b; closes it and sets -1 at EOF. */
static void drain(int *fd, struct buf *b)
{
    char chunk[65536];
    ssize_t n = read(*fd, chunk, sizeof chunk);
    if (n > 0) {
        buf_add(b, chunk, (size_t)n);
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        close(*fd);
        *fd = -1;
    }
}

static int status_code(int st)
{
    if (WIFEXITED(st))
        return WEXITSTATUS(st);
    if (WIFSIGNALED(st))
        return 128 + WTERMSIG(st);
    return -1;
}

void run_command(struct run_result *r, char *const argv[])
{
    struct buf out = { 0 }, err = { 0 };
    memset(r, 0, sizeof *r);
    r->status = -1;
    buf_add(&out, "", 0);
    buf_add(&err, "", 0);

    /* PD processes the monitor leaves behind are re-parented to us, so we can reap them. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);

    int po[2], pe[2];
    if (pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC)) {
        perror("testutil: pipe");
        abort();
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("testutil: fork");
        abort();
    }
    if (pid == 0) {
        setpgid(0, 0);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(po[1], 1) < 0 || dup2(pe[1], 2) < 0)
            _exit(126);
        execvp(argv[0], argv);
        dprintf(2, "testutil: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid); /* also here, so the group exists before we might kill it */
    close(po[1]);
    close(pe[1]);
    int fo = po[0], fe = pe[0];
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

    int64_t deadline = now_ms() + RUN_SAFETY_LIMIT_SECONDS * 1000;
    bool exited = false;
    int st = 0;
    while (fo >= 0 || fe >= 0 || !exited) {
        if (!exited && waitpid(pid, &st, WNOHANG) == pid) {
            exited = true;
            /* The run is over: whatever is left of it in its process group goes too, so that
             * the pipes reach EOF even if a PD outlived the monitor. */
            kill(-pid, SIGKILL);
        }
        if (exited && fo < 0 && fe < 0)
            break;
        int64_t left = deadline - now_ms();
        if (left <= 0) {
            r->timed_out = true;
            kill(-pid, SIGKILL);
            if (!exited) {
                waitpid(pid, &st, 0);
                exited = true;
            }
            /* Read what is already in the pipes, without waiting for more. */
            for (int *fd = &fo; fd; fd = fd == &fo ? &fe : NULL) {
                if (*fd >= 0) {
                    fcntl(*fd, F_SETFL, O_NONBLOCK);
                    while (*fd >= 0)
                        drain(fd, fd == &fo ? &out : &err);
                }
            }
            break;
        }
        struct pollfd p[3];
        int n = 0, io = -1, ie = -1, ip = -1;
        if (fo >= 0) {
            p[n] = (struct pollfd){ .fd = fo, .events = POLLIN };
            io = n++;
        }
        if (fe >= 0) {
            p[n] = (struct pollfd){ .fd = fe, .events = POLLIN };
            ie = n++;
        }
        if (!exited && pidfd >= 0) {
            p[n] = (struct pollfd){ .fd = pidfd, .events = POLLIN };
            ip = n++;
        }
        /* Without a pidfd, look at the child every 50 ms; with one, poll wakes when it exits. */
        int timeout = (!exited && pidfd < 0 && left > 50) ? 50 : (int)(left > 1000 ? 1000 : left);
        int k = poll(p, (nfds_t)n, timeout);
        if (k < 0 && errno != EINTR) {
            perror("testutil: poll");
            abort();
        }
        if (k <= 0)
            continue;
        if (io >= 0 && p[io].revents)
            drain(&fo, &out);
        if (ie >= 0 && p[ie].revents)
            drain(&fe, &err);
        (void)ip; /* the pidfd only wakes us; waitpid above collects the status */
    }
    if (pidfd >= 0)
        close(pidfd);
    /* Reap whatever of the group was re-parented to us. */
    kill(-pid, SIGKILL);
    while (waitpid(-pid, NULL, 0) > 0)
        ;
    r->status = r->timed_out ? 128 + SIGKILL : status_code(st);
    r->out = out.data;
    r->out_len = out.len;
    r->err = err.data;
    r->err_len = err.len;
}

static void run_hostkit_v(struct run_result *r, const char *pre[], size_t npre, va_list ap)
{
    const char *argv[64];
    size_t n = 0;
    argv[n++] = hostkit_path();
    argv[n++] = "run";
    for (size_t i = 0; i < npre; i++)
        argv[n++] = pre[i];
    const char *a;
    while ((a = va_arg(ap, const char *)) != NULL) {
        if (n + 2 >= sizeof argv / sizeof argv[0]) {
            fprintf(stderr, "testutil: too many arguments\n");
            abort();
        }
        argv[n++] = a;
    }
    argv[n] = NULL;
    run_command(r, (char *const *)argv);
}

void run_hostkit(struct run_result *r, const char *arg, ...)
{
    const char *pre[] = { arg };
    va_list ap;
    va_start(ap, arg);
    if (arg == NULL) {
        run_hostkit_v(r, pre, 0, ap);
    } else {
        run_hostkit_v(r, pre, 1, ap);
    }
    va_end(ap);
}

void run_system(struct run_result *r, const char *sys, ...)
{
    static char search[4096], file[4096];
    snprintf(search, sizeof search, "%s/tests/systems/%s", build_dir(), sys);
    snprintf(file, sizeof file, "tests/systems/%s/%s.system", sys, sys);
    const char *argv[64];
    size_t n = 0;
    argv[n++] = hostkit_path();
    argv[n++] = "run";
    va_list ap;
    va_start(ap, sys);
    const char *a;
    while ((a = va_arg(ap, const char *)) != NULL && n < 60)
        argv[n++] = a;
    va_end(ap);
    argv[n++] = "--search-path";
    argv[n++] = search;
    argv[n++] = file;
    argv[n] = NULL;
    run_command(r, (char *const *)argv);
}

void run_result_free(struct run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

/* Prints text to stderr with every line prefixed (TAP comments). */
static void print_prefixed(const char *prefix, const char *text)
{
    const char *s = text;
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        fprintf(stderr, "%s%.*s\n", prefix, (int)n, s);
        s += n + (nl ? 1 : 0);
    }
    if (text[0] && text[strlen(text) - 1] != '\n')
        fprintf(stderr, "%s(no newline at end)\n", prefix);
}

void run_result_dump(const struct run_result *r)
{
    fprintf(stderr, "# exit status: %d%s\n", r->status,
            r->timed_out ? " (killed by the test's safety limit)" : "");
    fprintf(stderr, "# --- stdout ---\n");
    print_prefixed("#   ", r->out ? r->out : "");
    fprintf(stderr, "# --- stderr ---\n");
    print_prefixed("#   ", r->err ? r->err : "");
}

char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fail_msg("cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    struct buf b = { 0 };
    buf_add(&b, "", 0);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, n);
    fclose(f);
    if (len)
        *len = b.len;
    return b.data;
}

/* Calls f(line, len, ctx) for each line of text (without newline); stops when f returns false. */
static void each_line(const char *text, bool (*f)(const char *, size_t, void *), void *ctx)
{
    const char *s = text;
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        if (!f(s, n, ctx))
            return;
        s += n + (nl ? 1 : 0);
    }
}

struct line_query {
    const char *want;
    bool substring;
    int count;
};

static bool match_line(const char *s, size_t n, void *ctx)
{
    struct line_query *q = ctx;
    size_t wl = strlen(q->want);
    if (q->substring) {
        if (wl <= n && memmem(s, n, q->want, wl))
            q->count++;
    } else if (n == wl && !memcmp(s, q->want, n)) {
        q->count++;
    }
    return true;
}

bool has_line(const char *text, const char *line)
{
    return count_lines(text, line) > 0;
}

int count_lines(const char *text, const char *line)
{
    struct line_query q = { line, false, 0 };
    each_line(text ? text : "", match_line, &q);
    return q.count;
}

bool contains(const char *text, const char *needle)
{
    struct line_query q = { needle, true, 0 };
    each_line(text ? text : "", match_line, &q);
    return q.count > 0;
}

/* The n-th line (0-based) of text as pointer + length; false if there are fewer lines. */
static bool nth_line(const char *text, size_t idx, const char **start, size_t *len)
{
    const char *s = text;
    for (size_t i = 0; *s; i++) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        if (i == idx) {
            *start = s;
            *len = n;
            return true;
        }
        s += n + (nl ? 1 : 0);
    }
    return false;
}

void assert_text_equal_at(const char *what, const char *expected, const char *actual, const char *file,
                          int line)
{
    if (!expected)
        expected = "";
    if (!actual)
        actual = "";
    if (!strcmp(expected, actual))
        return;
    size_t first = 0;
    for (;; first++) {
        const char *a, *b;
        size_t al, bl;
        bool ha = nth_line(expected, first, &a, &al), hb = nth_line(actual, first, &b, &bl);
        if (!ha || !hb || al != bl || memcmp(a, b, al))
            break;
    }
    fprintf(stderr, "# %s differs from what was expected, first at line %zu:\n", what, first + 1);
    for (int side = 0; side < 2; side++) {
        const char *t = side ? actual : expected;
        fprintf(stderr, "# --- %s ---\n", side ? "actual" : "expected");
        const char *s;
        size_t n;
        for (size_t i = 0; nth_line(t, i, &s, &n); i++)
            fprintf(stderr, "# %c %.*s\n", i == first ? '>' : ' ', (int)n, s);
        if (t[0] && t[strlen(t) - 1] != '\n')
            fprintf(stderr, "#   (no newline at end)\n");
        else if (!nth_line(t, first, &s, &n))
            fprintf(stderr, "# > (end)\n");
    }
    _fail(file, line);
}

void assert_lines_in_order_at(const char *text, const char *const expected[], const char *file, int line)
{
    size_t want = 0, at = 0;
    const char *s;
    size_t n;
    for (size_t i = 0; expected[want] && nth_line(text ? text : "", i, &s, &n); i++) {
        if (strlen(expected[want]) == n && !memcmp(s, expected[want], n)) {
            want++;
            at = i + 1;
        }
    }
    if (!expected[want])
        return;
    fprintf(stderr, "# expected these lines in this order (missing from \"%s\" on, after output line %zu):\n",
            expected[want], at);
    for (size_t i = 0; expected[i]; i++)
        fprintf(stderr, "# %c %s\n", i == want ? '>' : ' ', expected[i]);
    fprintf(stderr, "# --- actual ---\n");
    print_prefixed("#   ", text ? text : "");
    _fail(file, line);
}

void assert_exit_at(const struct run_result *r, int code, const char *file, int line)
{
    if (r->status == code && !r->timed_out)
        return;
    fprintf(stderr, "# expected exit status %d\n", code);
    run_result_dump(r);
    _fail(file, line);
}

/* The text without its monitor lines ("MON|..."), and, in *mon, only those (may be NULL). */
/* A line of the register dump Microkit's monitor prints in a fault report, unprefixed as there:
 * "Registers: " and then "NAME : 0x" followed by 16 hex digits. */
bool register_dump_line(const char *s, size_t n)
{
    if (n >= 11 && !strncmp(s, "Registers: ", 11))
        return true;
    const char *sep = memchr(s, ' ', n);
    if (!sep || sep == s || (size_t)(sep - s) + 21 > n || strncmp(sep, " : 0x", 5))
        return false;
    for (const char *c = s; c < sep; c++)
        if (!(*c == '_' || (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')))
            return false;
    for (const char *c = sep + 5; c < sep + 21; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
            return false;
    return sep + 21 == s + n || sep[21] == '\n';
}

char *split_monitor_lines(const char *text, char **mon)
{
    size_t len = strlen(text) + 1;
    char *pds = malloc(len), *m = malloc(len), *w = pds, *wm = m;
    assert_non_null(pds);
    assert_non_null(m);
    for (const char *s = text; *s;) {
        const char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) + 1 : strlen(s);
        if (strncmp(s, "MON|", 4) == 0 || register_dump_line(s, n)) {
            memcpy(wm, s, n);
            wm += n;
        } else {
            memcpy(w, s, n);
            w += n;
        }
        s += n;
    }
    *w = *wm = '\0';
    if (mon)
        *mon = m;
    else
        free(m);
    return pds;
}

static void skipped_test(void **state) { (void)state; }

void skip_test_if(struct CMUnitTest *test, const char *reason)
{
    if (!reason)
        return;
    /* cmocka prints the name after "ok N - ": the TAP directive rides in it. */
    size_t len = strlen(test->name) + strlen(" # SKIP ") + strlen(reason) + 1;
    char *name = malloc(len);
    if (!name)
        abort();
    snprintf(name, len, "%s # SKIP %s", test->name, reason);
    test->name = name; /* kept for the whole run: cmocka prints it when the test ends */
    test->test_func = skipped_test;
    test->setup_func = NULL;
    test->teardown_func = NULL;
}

bool have_command(const char *name)
{
    const char *path = getenv("PATH");
    if (!path)
        return false;
    for (const char *p = path;; p++) {
        const char *end = strchr(p, ':');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char file[4096]; /* an empty entry of $PATH is the current directory */
        if (snprintf(file, sizeof file, "%.*s/%s", n ? (int)n : 1, n ? p : ".", name) < (int)sizeof file &&
            access(file, X_OK) == 0)
            return true;
        if (!end)
            return false;
        p = end;
    }
}

int proc_children(long pid, long *pids, int max)
{
    char path[96];
    snprintf(path, sizeof path, "/proc/%ld/task/%ld/children", pid, pid);
    FILE *f = fopen(path, "r");
    int n = 0;
    long child;
    while (f && n < max && fscanf(f, "%ld", &child) == 1)
        pids[n++] = child;
    if (f)
        fclose(f);
    return n;
}

long pd_pid(long monitor, const char *name)
{
    int64_t deadline = now_ms() + RUN_SAFETY_LIMIT_SECONDS * 1000;
    do {
        long kids[256];
        int n = proc_children(monitor, kids, 256);
        for (int i = 0; i < n; i++) {
            char path[64], argv0[128] = "";
            snprintf(path, sizeof path, "/proc/%ld/cmdline", kids[i]);
            FILE *f = fopen(path, "r");
            if (!f)
                continue;
            size_t k = fread(argv0, 1, sizeof argv0 - 1, f);
            fclose(f);
            argv0[k] = 0;
            if (!strcmp(argv0, name))
                return kids[i];
        }
        struct timespec pause = {0, 5000000};
        nanosleep(&pause, NULL);
    } while (now_ms() < deadline);
    fail_msg("no PD '%s' among the children of the monitor %ld", name, monitor);
    return -1;
}

long proc_status_field(long pid, const char *field)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%ld/status", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long v = -1;
    size_t n = strlen(field);
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, field, n)) {
            const char *p = line + n;
            while (*p == ' ' || *p == '\t')
                p++;
            v = (*p >= '0' && *p <= '9') ? strtol(p, NULL, 10) : (long)*p;
            break;
        }
    fclose(f);
    return v;
}

int proc_fd_count(long pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/fd", pid);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

int64_t test_now_ms(void) { return now_ms(); }

static void append(char **buf, size_t *len, const char *s, size_t n)
{
    *buf = realloc(*buf, *len + n + 1);
    assert_non_null(*buf);
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
}

void live_start(struct live *l, const char *sys, const char *const *prefix, const char *const *args, bool stdin_irqs)
{
    memset(l, 0, sizeof *l);
    append(&l->text, &l->len, "", 0);
    append(&l->errtext, &l->errlen, "", 0);
    l->deadline_ms = now_ms() + RUN_SAFETY_LIMIT_SECONDS * 1000;
    prctl(PR_SET_CHILD_SUBREAPER, 1); /* PDs the monitor leaves behind come to us */
    char search[512], file[512];
    snprintf(search, sizeof search, "%s/tests/systems/%s", build_dir(), sys);
    snprintf(file, sizeof file, "tests/systems/%s/%s.system", sys, sys);
    const char *argv[64];
    int n = 0;
    for (; prefix && prefix[n]; n++)
        argv[n] = prefix[n];
    argv[n++] = hostkit_path();
    argv[n++] = "run";
    for (int k = 0; args && args[k] && n < 56; k++)
        argv[n++] = args[k];
    if (stdin_irqs)
        argv[n++] = "--irq-stdin";
    argv[n++] = "--search-path";
    argv[n++] = search;
    argv[n++] = file;
    argv[n] = NULL;
    int po[2], pe[2], pi[2];
    assert_int_equal(pipe2(po, O_CLOEXEC), 0);
    assert_int_equal(pipe2(pe, O_CLOEXEC), 0);
    assert_int_equal(pipe2(pi, O_CLOEXEC), 0);
    fflush(NULL);
    l->pid = fork();
    assert_true(l->pid >= 0);
    if (l->pid == 0) {
        setpgid(0, 0);
        int null = open("/dev/null", O_RDONLY);
        dup2(stdin_irqs ? pi[0] : null, 0), dup2(po[1], 1), dup2(pe[1], 2);
        execv(argv[0], (char *const *)argv);
        _exit(127);
    }
    setpgid(l->pid, l->pid);
    close(po[1]);
    close(pe[1]);
    close(pi[0]);
    l->in = stdin_irqs ? pi[1] : -1;
    if (!stdin_irqs)
        close(pi[1]);
    l->out = po[0];
    l->err = pe[0];
}

void live_irq(struct live *l, const char *spec)
{
    char line[64];
    int n = snprintf(line, sizeof line, "%s\n", spec);
    assert_int_equal(write(l->in, line, (size_t)n), n);
}

/* Reads whatever comes within the safety limit; false at EOF of both pipes or the limit. */
static bool live_read(struct live *l)
{
    struct pollfd p[2] = { { l->out, POLLIN, 0 }, { l->err, POLLIN, 0 } };
    int left = (int)(l->deadline_ms - now_ms());
    if ((l->out < 0 && l->err < 0) || left <= 0)
        return false;
    if (poll(p, 2, left) <= 0)
        return false;
    char chunk[4096];
    for (int k = 0; k < 2; k++) {
        int *fd = k ? &l->err : &l->out;
        if (*fd < 0 || !p[k].revents)
            continue;
        ssize_t n = read(*fd, chunk, sizeof chunk);
        if (n > 0) {
            if (k)
                append(&l->errtext, &l->errlen, chunk, (size_t)n);
            else
                append(&l->text, &l->len, chunk, (size_t)n);
        } else if (n == 0 || errno != EINTR) {
            close(*fd);
            *fd = -1;
        }
    }
    return true;
}

const char *live_line(struct live *l, const char *prefix)
{
    static char found[512];
    for (;;) {
        char *nl;
        while ((nl = memchr(l->text + l->scanned, '\n', l->len - l->scanned)) != NULL) {
            char *line = l->text + l->scanned;
            size_t n = (size_t)(nl - line);
            l->scanned += n + 1;
            if (n >= strlen(prefix) && !strncmp(line, prefix, strlen(prefix))) {
                snprintf(found, sizeof found, "%.*s", (int)(n - strlen(prefix)), line + strlen(prefix));
                return found;
            }
        }
        if (!live_read(l)) {
            fprintf(stderr, "# stdout so far:\n%s# stderr so far:\n%s", l->text, l->errtext);
            fail_msg("the run ended before a line starting with \"%s\"", prefix);
        }
    }
}

int live_finish(struct live *l)
{
    if (l->in >= 0) { /* end of the IRQ script: the system may become quiescent */
        close(l->in);
        l->in = -1;
    }
    while (live_read(l))
        ;
    int st = 0;
    if (now_ms() >= l->deadline_ms)
        kill(-l->pid, SIGKILL);
    while (waitpid(l->pid, &st, 0) < 0 && errno == EINTR)
        ;
    kill(-l->pid, SIGKILL); /* whatever is left of the group */
    while (waitpid(-l->pid, NULL, WNOHANG) > 0)
        ;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

void live_free(struct live *l)
{
    if (l->in >= 0)
        close(l->in);
    if (l->out >= 0)
        close(l->out);
    if (l->err >= 0)
        close(l->err);
    free(l->text);
    free(l->errtext);
}
