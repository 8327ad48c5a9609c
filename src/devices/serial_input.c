/* serial_input.c — a UART's input (serial_input.h): the run's standard input, a file, or a script.
 *
 * A script is a text file of steps, one a line, run in order from the moment the UART's receiver
 * is first used; blank lines and lines starting with # are skipped:
 *   expect TEXT    wait until the run's output (everything printed: the UART's and the PDs'
 *                  debug output), from where the last expect matched on, contains TEXT
 *   send TEXT      type TEXT
 *   wait SECONDS   let SECONDS pass (a decimal number)
 * TEXT is the rest of the line after one space, with C escapes: \r \n \t \e (ESC) \\ \xHH and \s
 * (a space, for one at the end of the line). This is the expect-and-type dialogue sDDF's CI holds
 * with a board's serial console (its ci/examples scripts: wait_for_output, send_input). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "devices/serial_input.h"

enum step_kind { STEP_EXPECT, STEP_SEND, STEP_WAIT };
struct serial_step {
    enum step_kind kind;
    unsigned line;
    char *text;                 /* EXPECT, SEND: the bytes (text_len of them) */
    size_t text_len;
    uint64_t ns;                /* WAIT */
    char shown[96];             /* "LINE: the line as written", for messages */
};

static struct termios saved_tty;
static bool tty_saved;
static void restore_tty(void)
{
    if (tty_saved)
        tcsetattr(0, TCSAFLUSH, &saved_tty);
}

/* TEXT with its escapes decoded into OUT (as long as TEXT, at most). Returns the length, or -1. */
static long unescape(const char *text, char *out)
{
    size_t n = 0;
    for (const char *s = text; *s; s++) {
        if (*s != '\\') {
            out[n++] = *s;
            continue;
        }
        switch (*++s) {
        case 'r': out[n++] = '\r'; break;
        case 'n': out[n++] = '\n'; break;
        case 't': out[n++] = '\t'; break;
        case 'e': out[n++] = 0x1b; break;
        case 's': out[n++] = ' '; break;
        case '\\': out[n++] = '\\'; break;
        case 'x': {
            char hex[3] = {0};
            for (int k = 0; k < 2 && ((s[1] >= '0' && s[1] <= '9') || ((s[1] | 0x20) >= 'a' && (s[1] | 0x20) <= 'f'));
                 k++)
                hex[k] = *++s;
            if (!hex[0])
                return -1;
            out[n++] = (char)strtoul(hex, NULL, 16);
            break;
        }
        default: return -1;
        }
    }
    return (long)n;
}

static int parse_script(struct serial_input *in, char *err, size_t errlen)
{
    FILE *f = fopen(in->path, "r");
    if (!f) {
        snprintf(err, errlen, "cannot read input script '%s': %s", in->path, strerror(errno));
        return -1;
    }
    char line[4096];
    unsigned no = 0;
    size_t cap = 0;
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        no++;
        line[strcspn(line, "\r\n")] = 0;
        const char *p = line + strspn(line, " \t");
        if (!*p || *p == '#')
            continue;
        size_t wl = strcspn(p, " \t");
        const char *arg = p[wl] ? p + wl + 1 : p + wl;
        struct serial_step st = {0};
        st.line = no;
        snprintf(st.shown, sizeof st.shown, "%u: %s", no, p);
        if ((wl == 6 && !strncmp(p, "expect", 6)) || (wl == 4 && !strncmp(p, "send", 4))) {
            st.kind = p[0] == 'e' ? STEP_EXPECT : STEP_SEND;
            st.text = malloc(strlen(arg) + 1);
            long n = unescape(arg, st.text);
            if (n <= 0) {
                snprintf(err, errlen, "input script %s line %u: %s", in->path, no,
                         n < 0 ? "a bad escape (\\r \\n \\t \\e \\s \\\\ \\xHH)" : "no text after the step's name");
                free(st.text);
                rc = -1;
                break;
            }
            st.text_len = (size_t)n;
        } else if (wl == 4 && !strncmp(p, "wait", 4)) {
            char *end;
            double s = strtod(arg, &end);
            if (end == arg || *end || s < 0) {
                snprintf(err, errlen, "input script %s line %u: 'wait' wants seconds, not '%s'", in->path, no, arg);
                rc = -1;
                break;
            }
            st.kind = STEP_WAIT;
            st.ns = (uint64_t)(s * 1e9);
        } else {
            snprintf(err, errlen, "input script %s line %u: '%.*s' is not a step (expect, send, wait)", in->path, no,
                     (int)wl, p);
            rc = -1;
            break;
        }
        if (in->nsteps == cap) {
            cap = cap ? 2 * cap : 16;
            in->steps = realloc(in->steps, cap * sizeof *in->steps);
        }
        in->steps[in->nsteps++] = st;
    }
    fclose(f);
    return rc;
}

int serial_input_open(struct serial_input *in, enum serial_input_kind kind, const char *path, char *err,
                      size_t errlen)
{
    serial_input_close(in);
    memset(in, 0, sizeof *in);
    in->kind = kind;
    in->fd = -1;
    in->path = path ? strdup(path) : NULL;
    switch (kind) {
    case SERIAL_IN_NONE: in->eof = true; return 0;
    case SERIAL_IN_STDIN: return 0;
    case SERIAL_IN_FILE:
        in->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (in->fd < 0) {
            snprintf(err, errlen, "cannot read input file '%s': %s", path, strerror(errno));
            return -1;
        }
        struct stat st;
        in->pollable = fstat(in->fd, &st) == 0 && !S_ISREG(st.st_mode); /* a pipe, a terminal */
        return 0;
    case SERIAL_IN_SCRIPT: return parse_script(in, err, errlen);
    }
    return -1;
}

void serial_input_start(struct serial_input *in, uint64_t now)
{
    if (in->started)
        return;
    in->started = true;
    in->wait_until = now;
    if (in->kind == SERIAL_IN_STDIN) {
        in->fd = 0;
        in->pollable = true;
        struct termios t;
        if (isatty(0) && tcgetattr(0, &t) == 0) {
            saved_tty = t;
            tty_saved = true;
            atexit(restore_tty);
            t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
            t.c_iflag &= ~(tcflag_t)(ICRNL | INLCR | IXON);
            t.c_cc[VMIN] = 1;
            t.c_cc[VTIME] = 0;
            t.c_cc[VQUIT] = _POSIX_VDISABLE; /* Ctrl-\ is sDDF's client switch, not SIGQUIT */
            t.c_cc[VSUSP] = _POSIX_VDISABLE;
            tcsetattr(0, TCSAFLUSH, &t);
            in->raw_tty = true;
        }
    }
}

/* Runs the script's steps that can run at NOW. */
static void run_script(struct serial_input *in, uint64_t now)
{
    while (in->step < in->nsteps && in->pending_pos == in->pending_len) {
        struct serial_step *st = &in->steps[in->step];
        if (st->kind == STEP_WAIT) {
            if (now < in->wait_until + st->ns)
                return;
            in->wait_until += st->ns;
        } else if (st->kind == STEP_SEND) {
            size_t n = st->text_len < sizeof in->pending ? st->text_len : sizeof in->pending;
            memcpy(in->pending, st->text, n);
            in->pending_len = n;
            in->pending_pos = 0;
            in->wait_until = now;
        } else {
            char *at = in->seen_len >= st->text_len ? memmem(in->seen, in->seen_len, st->text, st->text_len) : NULL;
            if (!at)
                return;
            size_t used = (size_t)(at - in->seen) + st->text_len;
            memmove(in->seen, in->seen + used, in->seen_len - used);
            in->seen_len -= used;
            in->wait_until = now;
        }
        in->step++;
    }
}

size_t serial_input_take(struct serial_input *in, uint64_t now, char *buf, size_t max)
{
    if (!in->started || max == 0)
        return 0;
    if (in->kind == SERIAL_IN_SCRIPT)
        run_script(in, now);
    struct pollfd p = {in->fd, POLLIN, 0};
    if (in->pending_pos == in->pending_len && in->fd >= 0 && !in->eof && (!in->pollable || poll(&p, 1, 0) > 0)) {
        /* what is there now (stdin, a pipe: never waiting for more), or the next piece of a file */
        ssize_t n = read(in->fd, in->pending, sizeof in->pending);
        if (n > 0) {
            in->pending_len = (size_t)n;
            in->pending_pos = 0;
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            in->eof = true;
        }
    }
    size_t n = in->pending_len - in->pending_pos;
    if (n > max)
        n = max;
    memcpy(buf, in->pending + in->pending_pos, n);
    in->pending_pos += n;
    if (in->kind == SERIAL_IN_SCRIPT && in->pending_pos == in->pending_len)
        run_script(in, now);
    return n;
}

int serial_input_fd(const struct serial_input *in)
{
    if (!in->started || in->eof || !in->pollable || in->pending_pos != in->pending_len)
        return -1;
    return in->fd;
}

uint64_t serial_input_next(const struct serial_input *in)
{
    if (!in->started || in->kind != SERIAL_IN_SCRIPT || in->step >= in->nsteps || in->pending_pos != in->pending_len ||
        in->steps[in->step].kind != STEP_WAIT)
        return UINT64_MAX;
    return in->wait_until + in->steps[in->step].ns;
}

bool serial_input_ready(const struct serial_input *in)
{
    if (!in->started)
        return false;
    if (in->pending_pos != in->pending_len)
        return true;
    if (in->kind == SERIAL_IN_FILE && !in->pollable)
        return !in->eof;
    return in->kind == SERIAL_IN_SCRIPT && in->step < in->nsteps && in->steps[in->step].kind == STEP_SEND;
}

bool serial_input_more(const struct serial_input *in)
{
    if (in->pending_pos != in->pending_len)
        return true;
    switch (in->kind) {
    case SERIAL_IN_NONE: return false;
    case SERIAL_IN_STDIN:
    case SERIAL_IN_FILE: return !in->eof;
    case SERIAL_IN_SCRIPT:
        /* an expect step with nothing else to come is waiting for the PDs, not for us */
        return in->step < in->nsteps && in->steps[in->step].kind != STEP_EXPECT;
    }
    return false;
}

void serial_input_output(struct serial_input *in, uint64_t now, const char *bytes, size_t n)
{
    if (in->kind != SERIAL_IN_SCRIPT || in->step >= in->nsteps)
        return;
    if (in->seen_len + n > in->seen_cap) {
        /* keep what an expect step can still match across: the longest text, before the new bytes */
        size_t keep = 0;
        for (size_t k = in->step; k < in->nsteps; k++)
            if (in->steps[k].text_len > keep)
                keep = in->steps[k].text_len;
        if (in->seen_len > keep && in->seen_len + n > (1u << 20)) {
            memmove(in->seen, in->seen + in->seen_len - keep, keep);
            in->seen_len = keep;
        }
        if (in->seen_len + n > in->seen_cap) {
            in->seen_cap = 2 * (in->seen_len + n);
            in->seen = realloc(in->seen, in->seen_cap);
        }
    }
    memcpy(in->seen + in->seen_len, bytes, n);
    in->seen_len += n;
    if (in->started)
        run_script(in, now); /* an expect step may be met: the steps after it can run */
}

const char *serial_input_waiting(const struct serial_input *in)
{
    if (in->kind != SERIAL_IN_SCRIPT || in->step >= in->nsteps)
        return NULL;
    return in->steps[in->step].shown;
}

void serial_input_close(struct serial_input *in)
{
    if (in->kind == SERIAL_IN_FILE && in->fd >= 0)
        close(in->fd);
    for (size_t k = 0; k < in->nsteps; k++)
        free(in->steps[k].text);
    free(in->steps);
    free(in->seen);
    free(in->path);
    memset(in, 0, sizeof *in);
    in->fd = -1;
}
