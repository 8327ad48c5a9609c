/* monitor_output.c — the run's output: the PDs' bytes (the pipe they all write) and the devices'
 * pass through here, in order, printed as they come (with --tap, each line a TAP comment); the
 * checks (verdict.c) see every complete line (M.line holds the one being written), and after the
 * line that ends the run (--until's) nothing more is printed. Who else watches the output (the
 * control channel its lines, the device models its bytes) is set by the event loop
 * (output_watchers), so this file calls nothing above it. Also the console of a board whose seL4
 * prints on a UART (output_uart_console). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "monitor/monitor.h"

static bool until_matched;
static bool at_line_start = true;
static void (*line_watcher)(const char *line);
static void (*bytes_watcher)(const char *bytes, size_t n);

void output_watchers(void (*line)(const char *line), void (*bytes)(const char *bytes, size_t n))
{
    line_watcher = line;
    bytes_watcher = bytes;
}

bool output_until_matched(void) { return until_matched; }

/* ---- the console of a board whose seL4 prints on a UART: the monitor's own lines (MON|...) get
 *      CR LF line ends, as Microkit's monitor's do through seL4_DebugPutChar there; the run's
 *      output (console_raw) is passed as it is ---- */
static bool uart_console;
static bool console_raw;
static FILE *real_stdout;

static ssize_t console_write(void *cookie, const char *buf, size_t n)
{
    (void)cookie;
    for (size_t done = 0; done < n;) {
        const char *nl = console_raw ? NULL : memchr(buf + done, '\n', n - done);
        size_t k = nl ? (size_t)(nl - (buf + done)) : n - done;
        if (k && fwrite(buf + done, 1, k, real_stdout) != k)
            return -1;
        done += k;
        if (nl) {
            if (fwrite("\r\n", 1, 2, real_stdout) != 2)
                return -1;
            done++;
        }
    }
    return fflush(real_stdout) == 0 ? (ssize_t)n : -1;
}

/* On such a board stdout turns the monitor's LFs into CR LF; the run's output, already as the
 * console has it, is written with RAW set. */
static void console_set_raw(bool raw)
{
    if (real_stdout && raw != console_raw) {
        fflush(stdout);
        console_raw = raw;
    }
}

void output_uart_console(void)
{
    uart_console = true;
    cookie_io_functions_t io = {NULL, console_write, NULL, NULL};
    FILE *f = fopencookie(NULL, "w", io);
    if (!f)
        return;
    fflush(stdout);
    real_stdout = stdout;
    stdout = f;
}

/* ---- the output ---- */
/* The line in M.line is complete (or over-long): the checks and the control channel see it,
 * without its line end. */
static void line_done(void)
{
    size_t k = M.line_len;
    while (k && (M.line[k - 1] == '\n' || M.line[k - 1] == '\r'))
        k--;
    char tmp[sizeof M.line + 1];
    memcpy(tmp, M.line, k);
    tmp[k] = 0;
    M.line_len = 0;
    if (line_watcher)
        line_watcher(tmp);
    if (!until_matched && verdict_line(tmp))
        until_matched = true;
}

/* Prints N bytes of the run's output (nothing after the line that ends the run). */
static void feed_output(const char *s, size_t n)
{
    size_t done = 0;
    while (done < n && !until_matched) {
        const char *nl = memchr(s + done, '\n', n - done);
        size_t k = nl ? (size_t)(nl - (s + done)) + 1 : n - done;
        if (at_line_start && verdict_tap())
            fputs("# ", stdout);
        console_set_raw(true); /* the PDs' and devices' bytes, as the console has them */
        fwrite(s + done, 1, k, stdout);
        console_set_raw(false);
        if (bytes_watcher)
            bytes_watcher(s + done, k);
        at_line_start = nl != NULL;
        for (size_t j = 0; j < k; j++) {
            if (M.line_len == sizeof M.line) /* an over-long line: the checks see its start only */
                line_done();
            M.line[M.line_len++] = s[done + j];
        }
        if (nl)
            line_done();
        done += k;
    }
}

void pump_output(bool drain)
{
    char buf[8192];
    while (!until_matched) {
        ssize_t n = read(M.out_rd, buf, sizeof buf);
        if (n <= 0)
            break;
        if (uart_console) { /* as seL4 writes its debug console: CR before each LF */
            for (char *s = buf, *end = buf + n, *nl; s < end && !until_matched; s = nl + 1) {
                nl = memchr(s, '\n', (size_t)(end - s));
                if (!nl) {
                    feed_output(s, (size_t)(end - s));
                    break;
                }
                feed_output(s, (size_t)(nl - s));
                feed_output("\r\n", 2);
            }
        } else {
            feed_output(buf, (size_t)n);
        }
        if (!drain)
            break;
    }
    fflush(stdout);
}

void monitor_output(const char *bytes, size_t n)
{
    pump_output(true); /* what the PDs printed before comes first */
    feed_output(bytes, n);
    fflush(stdout);
}

void output_end(void)
{
    pump_output(true); /* a last line without its newline stays so, as on seL4 */
    if (M.line_len && !until_matched)
        line_done(); /* ... and is checked as a line */
    if (!at_line_start && verdict_tap())
        fputc('\n', stdout); /* the report follows on a line of its own */
    fflush(stdout);
}
