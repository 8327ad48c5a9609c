/* control.c — the control channel (hostkit run --control FD|PATH, and --irq-stdin): a test drives
 * the running system from outside and watches it. A line protocol, a command per line, exactly
 * one reply line per command ("ok ..." or "error MESSAGE"), in order; docs/testing.md has the
 * whole of it. Commands:
 *   irq IRQ[@SECONDS]         raise an IRQ (as --irq; a bare "IRQ[@SECONDS]" line too)
 *   notify PD CH              signal PD on its channel CH, as the PD at the other end would
 *   ppcall PD CH LABEL MR...  a ppcall into PD on its channel CH, as from the other end (which
 *                             must have pp="true"); replies "ok LABEL COUNT MR..." once
 *                             protected() returned
 *   read MR OFFSET LENGTH     bytes of a memory region, "ok HEX"
 *   write MR OFFSET HEX       bytes into a memory region
 *   wait SECONDS REGEX        the next output line REGEX matches ("ok LINE"); 0 s: no limit
 *   idle                      waits until nothing can run and no IRQ is due: "ok idle", or
 *                             "ok stuck" when a PD is blocked for ever in a ppcall
 *   state PD                  "ok STATE": init, runnable, running, receiving, ppcall, faulted,
 *                             stopped or dead
 *   quit                      ends the run (the exit status is the checks' as at quiescence)
 *
 * How the monitor acts on the system, safely (it holds none of the PDs' objects a PD could not):
 *   - notify: the monitor maps the channel's page (kobj.h struct hk_chan) and signals the PD's end
 *     as the kernel's Signal does (kernel/notification.c), under the CPU's lock: the
 *     notification word only ever gains bits, so the real peer signalling too only coalesces, as
 *     on seL4;
 *   - ppcall: through a hidden caller end the monitor owns on the PD's control page (struct
 *     hk_test_call), so the channel's own call slot, which the real caller may be using, is never
 *     touched. The PD's receive delivers it as a call on the channel (protected(CH)) after the
 *     calls PDs made; protected() runs at the PD's own priority, as every protected procedure
 *     does: the PD becomes runnable as an IRQ makes it, and runs when seL4 would schedule it then;
 *   - memory regions are read and written through the monitor's descriptors of them (memfds).
 * Output lines are kept from the start for `wait` until a wait has passed them. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "monitor/monitor.h"

#define LINE_MAX_BYTES 131072 /* a command line (a write of 64 KiB, in hex) */
#define KEEP_BYTES (64u << 20) /* output kept for waits at most */

enum pending { P_NONE, P_PPCALL, P_WAIT, P_IDLE };

static struct {
    bool configured;
    int listen_fd;              /* --control PATH: until the first connection ended */
    char *path;
    int fd;                     /* the connection, -1 when none */
    bool replies;               /* false for --irq-stdin */
    bool done;                  /* the channel has closed: the run goes on without it */
    char *buf;
    size_t len;
    unsigned lineno;
    enum pending pending;
    int call_pd;
    uint32_t call_restarts;
    regex_t wait_re;
    double wait_deadline;       /* run_seconds(); 0 for none */
    double wait_seconds;
    char **lines;               /* output lines not yet passed by a wait */
    size_t nlines, cap, bytes;
} C = {.listen_fd = -1, .fd = -1};

static void process_lines(void);

/* ---- the connection ---- */
static void write_all(const char *s, size_t n)
{
    while (n && C.fd >= 0) {
        ssize_t k = write(C.fd, s, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0 && errno == EAGAIN) {
            struct pollfd p = {C.fd, POLLOUT, 0};
            if (poll(&p, 1, 10000) > 0)
                continue;
        }
        if (k <= 0) {
            fprintf(stderr, "hostkit: control channel: cannot write the reply: %s\n", strerror(errno));
            return;
        }
        s += k;
        n -= (size_t)k;
    }
}

static void reply(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void reply(const char *fmt, ...)
{
    char line[LINE_MAX_BYTES + 64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n > sizeof line - 2)
        n = (int)sizeof line - 2;
    if (!C.replies) {
        if (strncmp(line, "error ", 6) == 0)
            fprintf(stderr, "hostkit: --irq-stdin line %u ignored: %s\n", C.lineno, line + 6);
        return;
    }
    line[n++] = '\n';
    write_all(line, (size_t)n);
}

static void close_channel(void)
{
    if (C.fd > 0)
        close(C.fd);
    C.fd = -1;
    if (C.listen_fd >= 0) {
        close(C.listen_fd);
        C.listen_fd = -1;
        unlink(C.path);
    }
    C.done = true;
    C.pending = P_NONE;
}

int control_open(const char *spec)
{
    C.configured = true;
    C.buf = malloc(LINE_MAX_BYTES + 1);
    if (!C.buf)
        die("out of memory");
    if (strcmp(spec, "-") == 0) { /* --irq-stdin */
        C.fd = 0;
        C.replies = false;
        fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
        return 0;
    }
    char *end;
    long fd = strtol(spec, &end, 10);
    if (*spec && !*end) {
        if (fd < 0 || fcntl((int)fd, F_GETFD) < 0) {
            fprintf(stderr, "hostkit: --control %s: no such open file descriptor\n", spec);
            return -1;
        }
        C.fd = (int)fd;
        C.replies = true;
        fcntl(C.fd, F_SETFD, FD_CLOEXEC);
        fcntl(C.fd, F_SETFL, fcntl(C.fd, F_GETFL) | O_NONBLOCK);
        return 0;
    }
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    if (strlen(spec) >= sizeof sa.sun_path) {
        fprintf(stderr, "hostkit: --control %s: a socket path must be shorter than %zu bytes\n", spec, sizeof sa.sun_path);
        return -1;
    }
    strcpy(sa.sun_path, spec);
    struct stat st;
    if (lstat(spec, &st) == 0 && S_ISSOCK(st.st_mode))
        unlink(spec); /* a socket left by an earlier run */
    C.listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (C.listen_fd < 0 || bind(C.listen_fd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(C.listen_fd, 1) < 0) {
        fprintf(stderr, "hostkit: --control %s: cannot listen there: %s\n", spec, strerror(errno));
        return -1;
    }
    C.path = strdup(spec);
    C.replies = true;
    return 0;
}

/* Whether the peer PID (as the monitor's PID namespace numbers it; 0 when it is outside) may be a
 * PD's process, this run's or another's: one in another PID namespace (a PD has its own), or one
 * the monitor started (where PDs have no namespaces). */
static bool from_a_pd(pid_t pid)
{
    char path[64], ns[64] = "", own[64] = "";
    snprintf(path, sizeof path, "/proc/%d/ns/pid", (int)pid);
    if (pid <= 0 || readlink(path, ns, sizeof ns - 1) <= 0 || readlink("/proc/self/ns/pid", own, sizeof own - 1) <= 0 ||
        strcmp(ns, own))
        return true;
    for (int depth = 0; pid > 1 && depth < 64; depth++) {
        char buf[512];
        snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
        FILE *f = fopen(path, "r");
        size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
        if (f)
            fclose(f);
        buf[n] = 0;
        const char *paren = strrchr(buf, ')'); /* "PID (COMM) STATE PPID ..." */
        int ppid = 0;
        if (!paren || sscanf(paren + 1, " %*c %d", &ppid) != 1)
            return false;
        if (ppid == getpid())
            return true;
        pid = ppid;
    }
    return false;
}

int control_poll_fds(struct pollfd *pfd, int max)
{
    (void)max;
    if (C.done || !C.configured)
        return 0;
    if (C.fd >= 0) {
        pfd[0] = (struct pollfd){C.fd, C.pending == P_NONE ? POLLIN : 0, 0};
        return 1;
    }
    pfd[0] = (struct pollfd){C.listen_fd, POLLIN, 0};
    return 1;
}

void control_handle(const struct pollfd *pfd, int n)
{
    if (n < 1 || C.done)
        return;
    if (C.fd < 0) {
        if (!(pfd[0].revents & POLLIN))
            return;
        C.fd = accept4(C.listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        struct ucred peer;
        socklen_t len = sizeof peer;
        if (C.fd >= 0 && getsockopt(C.fd, SOL_SOCKET, SO_PEERCRED, &peer, &len) == 0 && from_a_pd(peer.pid)) {
            /* the socket is a file any process of the user can reach, a PD without --sandbox
             * included: what a PD could drive is not a test (docs/security.md) */
            fprintf(stderr, "hostkit: --control: a connection from a PD's process (%d) refused\n", (int)peer.pid);
            close(C.fd);
            C.fd = -1;
        }
        return;
    }
    if (!pfd[0].revents)
        return;
    ssize_t k = read(C.fd, C.buf + C.len, LINE_MAX_BYTES - C.len);
    if (k < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (k <= 0) {
        if (C.len) { /* a last line without its newline */
            C.buf[C.len++] = '\n';
            process_lines();
        }
        if (C.pending == P_NONE)
            close_channel();
        else
            C.done = true; /* after the pending command's reply nobody reads: close then */
        return;
    }
    C.len += (size_t)k;
    process_lines();
    if (C.len == LINE_MAX_BYTES) {
        reply("error line %u longer than %d bytes", ++C.lineno, LINE_MAX_BYTES);
        C.len = 0;
    }
}

bool control_keeps_running(void) { return C.configured && !C.done; }

/* ---- output lines, for `wait` ---- */
static void drop_lines(size_t n)
{
    for (size_t k = 0; k < n; k++) {
        C.bytes -= strlen(C.lines[k]) + 1;
        free(C.lines[k]);
    }
    memmove(C.lines, C.lines + n, (C.nlines - n) * sizeof *C.lines);
    C.nlines -= n;
}

/* The first kept line the wait's regex matches: it and the lines before it are passed. */
static bool wait_match(void)
{
    for (size_t k = 0; k < C.nlines; k++)
        if (regexec(&C.wait_re, C.lines[k], 0, NULL, 0) == 0) {
            reply("ok %s", C.lines[k]);
            drop_lines(k + 1);
            regfree(&C.wait_re);
            C.pending = P_NONE;
            return true;
        }
    return false;
}

void control_output_line(const char *line)
{
    if (!C.configured || C.done || !C.replies)
        return;
    if (C.nlines == C.cap) {
        size_t cap = C.cap ? 2 * C.cap : 256;
        char **p = realloc(C.lines, cap * sizeof *p);
        if (!p)
            return;
        C.lines = p;
        C.cap = cap;
    }
    C.lines[C.nlines] = strdup(line);
    if (!C.lines[C.nlines])
        return;
    C.bytes += strlen(line) + 1;
    C.nlines++;
    while (C.bytes > KEEP_BYTES && C.nlines > 1)
        drop_lines(1);
    if (C.pending == P_WAIT && wait_match())
        process_lines();
}

/* ---- commands ---- */
/* The end (0 or 1) PD i has of its channel CH, and the channel, from our own copy of the system. */
static const struct sdf_channel *find_channel(int i, unsigned ch, int *end)
{
    for (size_t k = 0; k < M.sys.nchannels; k++)
        for (int e = 0; e < 2; e++)
            if (M.sys.channels[k].end[e].pd == M.pd[i].sdf && M.sys.channels[k].end[e].id == ch) {
                *end = e;
                return &M.sys.channels[k];
            }
    return NULL;
}

static bool parse_u64(const char *s, uint64_t *v)
{
    char *end;
    errno = 0;
    *v = strtoull(s, &end, 0);
    return s && *s && !*end && errno == 0 && *s != '-';
}

/* "PD CH": the PD's scheduler index and a channel of it; -1 after the error reply. */
static int pd_channel(char *pd, char *chs, unsigned *ch, const struct sdf_channel **chan, int *end)
{
    uint64_t v;
    int i = pd ? pd_index(pd) : -1;
    if (!pd || !chs) {
        reply("error expected PD CH");
        return -1;
    }
    if (i < 0) {
        reply("error no PD named '%s'", pd);
        return -1;
    }
    if (!parse_u64(chs, &v) || v >= HK_NCH) {
        reply("error '%s' is not a channel id (0..%d)", chs, HK_NCH - 1);
        return -1;
    }
    *ch = (unsigned)v;
    *chan = find_channel(i, *ch, end);
    if (!*chan) {
        const struct sdf_pd *sp = &M.sys.pds[M.pd[i].sdf];
        for (size_t q = 0; q < sp->nirqs; q++)
            if (sp->irqs[q].id == *ch) {
                reply("error channel %u of %s is an IRQ: raise it with irq %s:%u", *ch, pd, pd, *ch);
                return -1;
            }
        reply("error %s has no channel %u", pd, *ch);
        return -1;
    }
    return i;
}

/* Idle CPUs start again: something was made runnable. */
static void start_idle_cpus(void)
{
    for (unsigned c = 0; c < M.ncpus; c++)
        if (hk_current(M.sched, c) < 0)
            monitor_reschedule(c, false);
}

static void cmd_notify(char *pd, char *chs)
{
    unsigned ch;
    int end;
    const struct sdf_channel *chan;
    int i = pd_channel(pd, chs, &ch, &chan, &end);
    if (i < 0)
        return;
    if (!chan->end[end ^ 1].notify) {
        reply("error the other end of %s's channel %u may not notify (notify=\"false\")", pd, ch);
        return;
    }
    /* the signal page i receives on: its peer's, which the peer bumps with i's CPU locked, as we do */
    struct hk_signal *sig = M.pd[i].chan[ch].in;
    char what[48];
    snprintf(what, sizeof what, "control notify (channel %u)", ch);
    trace_instant(i, "control", what);
    /* as kernel/notification.c delivers a signal: handed over as its badge if it waits in receive */
    uint32_t cpu = M.cpu_of[i];
    hk_lock_monitor(M.sched, cpu, MONITOR_ID);
    if (monitor_wake_locked(i, HK_WAKE_CH + ch)) {
        atomic_fetch_add(&sig->delivered, 1);
    } else {
        atomic_fetch_add(&sig->pending, 1);
        atomic_fetch_or(&M.sched->pd[i].hint, 1ull << ch);
    }
    hk_unlock(M.sched, cpu);
    start_idle_cpus();
    reply("ok");
}

static void cmd_ppcall(char *pd, char *chs, char *label, char *save)
{
    unsigned ch;
    int end;
    const struct sdf_channel *chan;
    int i = pd_channel(pd, chs, &ch, &chan, &end);
    if (i < 0)
        return;
    if (!chan->end[end ^ 1].pp) {
        reply("error the other end of %s's channel %u may not ppcall it (no pp=\"true\")", pd, ch);
        return;
    }
    uint64_t lab;
    if (!label || !parse_u64(label, &lab) || lab >= (1ull << 52)) {
        reply("error expected ppcall PD CH LABEL [MR...], LABEL a number below 2^52");
        return;
    }
    uint32_t st = hk_state(M.sched, M.cpu_of[i], i);
    if (st == HK_ST_DEAD || st == HK_ST_FAULTED || M.pd[i].pid <= 0) {
        reply("error %s cannot take a call: it has %s", pd, st == HK_ST_FAULTED ? "faulted" : "ended");
        return;
    }
    struct hk_test_call *t = &M.pd[i].ctl->test_call;
    unsigned n = 0;
    for (char *w; (w = strtok_r(NULL, " \t", &save));) {
        uint64_t v;
        if (n == 120 || !parse_u64(w, &v)) {
            reply(n == 120 ? "error more than 120 message registers" : "error '%s' is not a number", w);
            return;
        }
        t->mr[n++] = v;
    }
    t->ch = ch;
    t->msginfo = lab << 12 | n;
    char what[48];
    snprintf(what, sizeof what, "control ppcall (channel %u)", ch);
    trace_instant(i, "control", what);
    C.pending = P_PPCALL;
    C.call_pd = i;
    C.call_restarts = atomic_load(&M.pd[i].ctl->restart_seq);
    atomic_store(&t->state, HK_TEST_PENDING);
    monitor_ready((unsigned)i);
    start_idle_cpus();
}

static int find_region(const char *name)
{
    for (size_t r = 0; name && r < M.sys.nmrs; r++)
        if (strcmp(M.sys.mrs[r].name, name) == 0)
            return (int)r;
    return -1;
}

static void cmd_memory(bool write_it, char *mr, char *offs, char *arg)
{
    uint64_t off, len;
    int r = find_region(mr);
    if (!mr || !offs || !arg) {
        reply(write_it ? "error expected write MR OFFSET HEX" : "error expected read MR OFFSET LENGTH");
        return;
    }
    if (r < 0) {
        reply("error no memory region named '%s'", mr);
        return;
    }
    if (!parse_u64(offs, &off)) {
        reply("error '%s' is not an offset", offs);
        return;
    }
    if (write_it) {
        len = strlen(arg) / 2;
        if (strlen(arg) % 2) {
            reply("error the bytes must be hex digits, two per byte");
            return;
        }
    } else if (!parse_u64(arg, &len) || len > LINE_MAX_BYTES / 2) {
        reply("error '%s' is not a length up to %d", arg, LINE_MAX_BYTES / 2);
        return;
    }
    uint64_t size = M.sys.mrs[r].size;
    if (off > size || len > size - off) {
        reply("error %s is 0x%llx bytes: 0x%llx bytes at 0x%llx do not fit", mr, (unsigned long long)size,
              (unsigned long long)len, (unsigned long long)off);
        return;
    }
    unsigned char *bytes = malloc(len ? len : 1);
    if (!bytes)
        die("out of memory");
    if (write_it) {
        for (uint64_t k = 0; k < len; k++) {
            char two[3] = {arg[2 * k], arg[2 * k + 1], 0}, *end;
            bytes[k] = (unsigned char)strtoul(two, &end, 16);
            if (*end || !two[0] || two[0] == '-' || two[0] == '+' || two[0] == ' ') {
                reply("error the bytes must be hex digits, two per byte");
                free(bytes);
                return;
            }
        }
        if (pwrite(M.mr_fds[r], bytes, len, (off_t)off) != (ssize_t)len)
            reply("error cannot write %s: %s", mr, strerror(errno));
        else
            reply("ok");
    } else {
        char *hex = malloc(2 * len + 1);
        if (!hex)
            die("out of memory");
        if (pread(M.mr_fds[r], bytes, len, (off_t)off) != (ssize_t)len) {
            reply("error cannot read %s: %s", mr, strerror(errno));
        } else {
            for (uint64_t k = 0; k < len; k++)
                snprintf(hex + 2 * k, 3, "%02x", bytes[k]);
            hex[2 * len] = 0;
            reply("ok %s", hex);
        }
        free(hex);
    }
    free(bytes);
}

static void cmd_wait(char *secs, char *regex)
{
    char *end;
    double s = secs ? strtod(secs, &end) : -1;
    if (!secs || *end || s < 0 || !regex || !*regex) {
        reply("error expected wait SECONDS REGEX (0 seconds: no limit)");
        return;
    }
    int rc = regcomp(&C.wait_re, regex, REG_EXTENDED | REG_NOSUB);
    if (rc) {
        char msg[128];
        regerror(rc, &C.wait_re, msg, sizeof msg);
        reply("error regex '%s': %s", regex, msg);
        return;
    }
    C.pending = P_WAIT;
    C.wait_seconds = s;
    C.wait_deadline = s > 0 ? run_seconds() + s : 0;
    pump_output(true); /* lines written before the command count */
    if (C.pending == P_WAIT)
        wait_match();
}

static const char *state_word(int i)
{
    switch (hk_state(M.sched, M.cpu_of[i], i)) {
    case HK_ST_INIT: return "init";
    case HK_ST_RUNNABLE: return hk_current(M.sched, M.cpu_of[i]) == i ? "running" : "runnable";
    case HK_ST_RECV: return "receiving";
    case HK_ST_CALL: return "ppcall";
    case HK_ST_FAULTED: return "faulted";
    case HK_ST_STOPPED: return "stopped";
    default: return "dead";
    }
}

static void command(char *line)
{
    C.lineno++;
    line[strcspn(line, "\r")] = 0;
    if (!C.replies)
        line[strcspn(line, "#")] = 0; /* --irq-stdin's comments */
    char *p = line + strspn(line, " \t");
    if (!*p || *p == '#')
        return;
    char *save, *cmd = strtok_r(p, " \t", &save);
    char err[200];
    if (strcmp(cmd, "irq") == 0 || (strcmp(cmd, "notify") && strcmp(cmd, "ppcall") && strcmp(cmd, "read") &&
                                    strcmp(cmd, "write") && strcmp(cmd, "wait") && strcmp(cmd, "idle") &&
                                    strcmp(cmd, "state") && strcmp(cmd, "quit"))) {
        char *spec = strcmp(cmd, "irq") == 0 ? strtok_r(NULL, " \t", &save) : cmd;
        if (!spec)
            reply("error expected irq IRQ[@SECONDS]");
        else if (irq_command(spec, err, sizeof err) < 0)
            reply("error %s%s", err, spec == cmd ? " (not a command either)" : "");
        else
            reply("ok");
    } else if (strcmp(cmd, "notify") == 0) {
        char *pd = strtok_r(NULL, " \t", &save), *ch = strtok_r(NULL, " \t", &save);
        cmd_notify(pd, ch);
    } else if (strcmp(cmd, "ppcall") == 0) {
        char *pd = strtok_r(NULL, " \t", &save), *ch = strtok_r(NULL, " \t", &save);
        char *label = strtok_r(NULL, " \t", &save);
        cmd_ppcall(pd, ch, label, save);
    } else if (strcmp(cmd, "read") == 0 || strcmp(cmd, "write") == 0) {
        char *mr = strtok_r(NULL, " \t", &save), *off = strtok_r(NULL, " \t", &save);
        char *arg = strtok_r(NULL, " \t", &save);
        cmd_memory(cmd[0] == 'w', mr, off, arg);
    } else if (strcmp(cmd, "wait") == 0) {
        char *secs = strtok_r(NULL, " \t", &save);
        char *regex = save ? save + strspn(save, " \t") : NULL;
        cmd_wait(secs, regex);
    } else if (strcmp(cmd, "idle") == 0) {
        C.pending = P_IDLE; /* answered by control_system_idle() */
    } else if (strcmp(cmd, "state") == 0) {
        char *pd = strtok_r(NULL, " \t", &save);
        int i = pd ? pd_index(pd) : -1;
        if (i < 0)
            reply("error no PD named '%s'", pd ? pd : "");
        else
            reply("ok %s", state_word(i));
    } else { /* quit */
        reply("ok");
        close_channel();
        end_run(RUN_QUIT, M.unhandled_fault ? HK_EXIT_FAULT : HK_EXIT_OK, "the control channel's quit");
    }
}

/* Carries out the complete lines received, one at a time while none is pending. */
static void process_lines(void)
{
    while (C.pending == P_NONE && !C.done) {
        char *nl = memchr(C.buf, '\n', C.len);
        if (!nl)
            return;
        *nl = 0;
        command(C.buf);
        size_t used = (size_t)(nl + 1 - C.buf);
        memmove(C.buf, nl + 1, C.len - used);
        C.len -= used;
    }
}

/* ---- pending commands ---- */
static void pending_done(void)
{
    C.pending = P_NONE;
    if (C.done)
        close_channel();
    else
        process_lines();
}

void control_check(void)
{
    if (C.pending == P_PPCALL) {
        int i = C.call_pd;
        struct hk_test_call *t = &M.pd[i].ctl->test_call;
        uint32_t st = hk_state(M.sched, M.cpu_of[i], i);
        if (atomic_load_explicit(&t->state, memory_order_acquire) == HK_TEST_REPLIED) {
            uint64_t info = t->msginfo;
            unsigned n = (unsigned)(info & 0x7f);
            if (n > 120)
                n = 120;
            char *line = malloc(32 + 21 * 120), *w = line;
            if (!line)
                die("out of memory");
            w += sprintf(w, "ok %llu %u", (unsigned long long)(info >> 12), n);
            for (unsigned k = 0; k < n; k++)
                w += sprintf(w, " %llu", (unsigned long long)t->mr[k]);
            atomic_store(&t->state, HK_TEST_IDLE);
            pump_output(true); /* what protected() printed comes before the reply */
            reply("%s", line);
            free(line);
            pending_done();
        } else if (st == HK_ST_FAULTED || st == HK_ST_DEAD || M.pd[i].pid <= 0 ||
                   atomic_load(&M.pd[i].ctl->restart_seq) != C.call_restarts) {
            atomic_store(&t->state, HK_TEST_IDLE);
            reply("error %s %s before it replied", pd_name(i),
                  st == HK_ST_FAULTED ? "faulted" : M.pd[i].pid <= 0 || st == HK_ST_DEAD ? "ended" : "was restarted");
            pending_done();
        }
    } else if (C.pending == P_WAIT && C.wait_deadline > 0 && run_seconds() >= C.wait_deadline) {
        regfree(&C.wait_re);
        reply("error timeout: no output line matched in %g s", C.wait_seconds);
        pending_done();
    }
}

int control_poll_timeout(void)
{
    if (C.pending != P_WAIT || C.wait_deadline <= 0)
        return -1;
    double ms = (C.wait_deadline - run_seconds()) * 1000;
    return ms <= 0 ? 0 : (int)ms + 1;
}

void control_system_idle(bool stuck)
{
    if (C.pending != P_IDLE)
        return;
    reply(stuck ? "ok stuck" : "ok idle");
    pending_done();
}

void control_run_ends(const char *why)
{
    if (C.pending != P_NONE)
        reply("error the run ended: %s", why);
    C.pending = P_NONE;
    if (C.configured && !C.done)
        close_channel();
}
