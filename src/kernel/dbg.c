/* dbg.c — a PD's debug output (microkit_dbg_putc and friends): a line buffer written to the
 * monitor's pipe at each newline and whenever the PD gives up its CPU (libhostkit.c calls
 * hk_out_flush() before any hand-over), so all PDs' output arrives in the order it was produced. */
#include <errno.h>
#include <limits.h>
#include <unistd.h>

#include "microkit.h"
#include "kernel/pd.h"

/* ---- debug output: a line buffer flushed at newline and whenever this PD gives up the CPU,
 * so all PDs' output reaches the monitor's pipe in the order it was produced. ---- */
static char out_buf[PIPE_BUF];
static size_t out_len;

void hk_out_flush(void)
{
    size_t off = 0;
    while (off < out_len) {
        ssize_t n = write(HK_FD_OUT, out_buf + off, out_len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* monitor gone: output is lost, nothing else to do */
        off += (size_t)n;
    }
    out_len = 0;
}

void microkit_dbg_putc(int c)
{
    out_buf[out_len++] = (char)c;
    if (c == '\n' || out_len == sizeof out_buf)
        hk_out_flush();
}

void microkit_dbg_puts(const char *s)
{
    while (*s)
        microkit_dbg_putc(*s++);
}

void microkit_dbg_put32(seL4_Uint32 x)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char)('0' + x % 10);
        x /= 10;
    } while (x);
    while (n)
        microkit_dbg_putc(digits[--n]);
}

void microkit_dbg_put8(seL4_Uint8 x) { microkit_dbg_put32(x); }
