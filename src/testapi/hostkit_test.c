/* hostkit_test.c — libhostkit_test: the C API of include/hostkit_test.h for users' tests. It starts
 * `hostkit run --control FD SYSTEM` with one end of a socket pair as FD and speaks the control
 * channel's line protocol (docs/testing.md) on the other: a command line out, one reply line back
 * ("ok ..." or "error MESSAGE"). The system's output goes to an unlinked temporary file. This
 * layer depends on nothing of hostkit's but the protocol. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hostkit_test.h"

struct hostkit_system {
    pid_t pid;
    int sock;       /* our end of the control channel */
    int out_fd;     /* the system's output */
    FILE *in;       /* replies */
    char error[512];
    char *reply;    /* the last reply, after "ok" */
    size_t reply_cap;
    char *output;
};

const char *hostkit_program(void)
{
    const char *h = getenv("HOSTKIT");
    return h && *h ? h : "hostkit";
}

struct hostkit_system *hostkit_start(const char *system, const char *const *args)
{
    struct hostkit_system *s = calloc(1, sizeof *s);
    int sv[2];
    if (!s)
        return NULL;
    char tmpl[] = "/tmp/hostkit-test-output-XXXXXX";
    s->out_fd = mkostemp(tmpl, O_CLOEXEC);
    if (s->out_fd < 0 || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        int e = errno;
        if (s->out_fd >= 0)
            close(s->out_fd);
        free(s);
        errno = e;
        return NULL;
    }
    unlink(tmpl);
    size_t nargs = 0;
    while (args && args[nargs])
        nargs++;
    char fd[16];
    snprintf(fd, sizeof fd, "%d", sv[1]);
    const char **argv = calloc(nargs + 6, sizeof *argv);
    if (!argv)
        abort();
    size_t k = 0;
    argv[k++] = hostkit_program();
    argv[k++] = "run";
    argv[k++] = "--control";
    argv[k++] = fd;
    for (size_t a = 0; a < nargs; a++)
        argv[k++] = args[a];
    argv[k++] = system;
    argv[k] = NULL;
    fflush(NULL);
    s->pid = fork();
    if (s->pid == 0) {
        fcntl(sv[1], F_SETFD, 0); /* hostkit's end stays open across exec */
        dup2(s->out_fd, 1);
        int null = open("/dev/null", O_RDONLY);
        if (null >= 0)
            dup2(null, 0);
        execvp(argv[0], (char *const *)argv);
        fprintf(stderr, "hostkit_start: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    int e = errno;
    free(argv);
    close(sv[1]);
    if (s->pid < 0) {
        close(sv[0]);
        close(s->out_fd);
        free(s);
        errno = e;
        return NULL;
    }
    s->sock = sv[0];
    s->in = fdopen(dup(s->sock), "r");
    return s;
}

static int fail(struct hostkit_system *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct hostkit_system *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->error, sizeof s->error, fmt, ap);
    va_end(ap);
    return -1;
}

/* Sends the command, reads its reply: 0 with the words after "ok" in s->reply, or -1. */
static int command(struct hostkit_system *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int command(struct hostkit_system *s, const char *fmt, ...)
{
    char *line = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&line, fmt, ap);
    va_end(ap);
    if (n < 0 || !s->in)
        return fail(s, "cannot send a command");
    line[strcspn(line, "\n")] = 0;
    n = (int)strlen(line);
    line[n] = '\n';
    ssize_t sent = 0;
    while (sent <= n) {
        ssize_t w = send(s->sock, line + sent, (size_t)(n + 1 - sent), MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        sent += w;
    }
    line[n] = 0;
    if (sent <= n) {
        fail(s, "%s: hostkit has ended the run", line);
        free(line);
        return -1;
    }
    ssize_t got = getline(&s->reply, &s->reply_cap, s->in);
    if (got <= 0) {
        fail(s, "%s: hostkit ended the run without a reply", line);
        free(line);
        return -1;
    }
    s->reply[strcspn(s->reply, "\n")] = 0;
    int rc = 0;
    if (strcmp(s->reply, "ok") == 0 || strncmp(s->reply, "ok ", 3) == 0)
        memmove(s->reply, s->reply + (s->reply[2] ? 3 : 2), strlen(s->reply + (s->reply[2] ? 3 : 2)) + 1);
    else
        rc = fail(s, "%s: %s", line, strncmp(s->reply, "error ", 6) == 0 ? s->reply + 6 : s->reply);
    free(line);
    return rc;
}

int hostkit_irq(struct hostkit_system *s, const char *irq) { return command(s, "irq %s", irq); }

int hostkit_notify(struct hostkit_system *s, const char *pd, unsigned ch) { return command(s, "notify %s %u", pd, ch); }

int hostkit_ppcall(struct hostkit_system *s, const char *pd, unsigned ch, uint64_t label, const uint64_t *mrs,
                   unsigned n, struct hostkit_reply *reply)
{
    char *words = malloc(21 * (size_t)n + 1), *w = words;
    if (!words)
        return fail(s, "out of memory");
    *w = 0;
    for (unsigned k = 0; k < n; k++)
        w += sprintf(w, " %" PRIu64, mrs[k]);
    int rc = command(s, "ppcall %s %u %" PRIu64 "%s", pd, ch, label, words);
    free(words);
    if (rc < 0 || !reply)
        return rc;
    char *p = s->reply, *end;
    reply->label = strtoull(p, &end, 10);
    reply->count = (unsigned)strtoul(end, &p, 10);
    for (unsigned k = 0; k < reply->count; k++) {
        uint64_t v = strtoull(p, &end, 10);
        if (end == p)
            return fail(s, "ppcall: a reply hostkit_test does not understand: %s", s->reply);
        if (k < reply->capacity && reply->mrs)
            reply->mrs[k] = v;
        p = end;
    }
    return 0;
}

int hostkit_read(struct hostkit_system *s, const char *region, uint64_t offset, void *buf, size_t len)
{
    if (command(s, "read %s %" PRIu64 " %zu", region, offset, len) < 0)
        return -1;
    if (strlen(s->reply) != 2 * len)
        return fail(s, "read: %zu bytes asked, %zu given", len, strlen(s->reply) / 2);
    unsigned char *b = buf;
    for (size_t k = 0; k < len; k++) {
        char two[3] = {s->reply[2 * k], s->reply[2 * k + 1], 0};
        b[k] = (unsigned char)strtoul(two, NULL, 16);
    }
    return 0;
}

int hostkit_write(struct hostkit_system *s, const char *region, uint64_t offset, const void *buf, size_t len)
{
    char *hex = malloc(2 * len + 1);
    if (!hex)
        return fail(s, "out of memory");
    const unsigned char *b = buf;
    for (size_t k = 0; k < len; k++)
        sprintf(hex + 2 * k, "%02x", b[k]);
    hex[2 * len] = 0;
    int rc = command(s, "write %s %" PRIu64 " %s", region, offset, hex);
    free(hex);
    return rc;
}

int hostkit_wait_line(struct hostkit_system *s, const char *regex, double seconds, char *line, size_t len)
{
    if (command(s, "wait %g %s", seconds, regex) < 0)
        return -1;
    if (line && len)
        snprintf(line, len, "%s", s->reply);
    return 0;
}

int hostkit_idle(struct hostkit_system *s, int *stuck)
{
    if (command(s, "idle") < 0)
        return -1;
    if (stuck)
        *stuck = strcmp(s->reply, "stuck") == 0;
    return 0;
}

int hostkit_state(struct hostkit_system *s, const char *pd, char *state, size_t len)
{
    if (command(s, "state %s", pd) < 0)
        return -1;
    if (state && len)
        snprintf(state, len, "%s", s->reply);
    return 0;
}

const char *hostkit_output(struct hostkit_system *s)
{
    off_t size = lseek(s->out_fd, 0, SEEK_END);
    char *p = realloc(s->output, size > 0 ? (size_t)size + 1 : 1);
    if (!p)
        return "";
    s->output = p;
    ssize_t n = size > 0 ? pread(s->out_fd, p, (size_t)size, 0) : 0;
    p[n > 0 ? n : 0] = 0;
    return p;
}

const char *hostkit_error(const struct hostkit_system *s) { return s->error; }

int hostkit_stop(struct hostkit_system *s)
{
    if (!s)
        return -1;
    command(s, "quit"); /* the run may have ended already */
    if (s->in)
        fclose(s->in);
    close(s->sock);
    int status, rc = -1;
    pid_t w;
    while ((w = waitpid(s->pid, &status, 0)) < 0 && errno == EINTR) {
    }
    if (w == s->pid)
        rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    close(s->out_fd);
    free(s->reply);
    free(s->output);
    free(s);
    return rc;
}
