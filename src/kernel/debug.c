/* debug.c — a debug kernel's output calls (seL4_DebugPutChar, which libmicrokit's microkit_dbg_*
 * print through): a line buffer written to the monitor's pipe at each newline and whenever the
 * PD gives up its CPU (cpu.h flushes before any hand-over), so all PDs' output arrives in the
 * order it was produced, as on a single serial line. */
#include <errno.h>
#include <limits.h>
#include <unistd.h>

#include "kernel/host.h"
#include "kernel/cpu.h"

static char out_buf[PIPE_BUF];
static size_t out_len;

void hk_out_flush(void)
{
    size_t off = 0;
    while (off < out_len) {
        ssize_t n = hk_sys_write(HK_FD_OUT, out_buf + off, out_len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* monitor gone: output is lost, nothing else to do */
        off += (size_t)n;
    }
    out_len = 0;
}

void seL4_DebugPutChar(char c)
{
    out_buf[out_len++] = c;
    if (c == '\n' || out_len == sizeof out_buf)
        hk_out_flush();
}

void seL4_DebugPutString(const char *s)
{
    while (*s)
        seL4_DebugPutChar(*s++);
}

/* seL4_DebugHalt stops the whole system on seL4: here, this PD stops (a fault naming the call). */
void seL4_DebugHalt(void) { hk_unsupported_call("seL4_DebugHalt"); }

void seL4_DebugDumpScheduler(void) { seL4_DebugPutString("hostkit: seL4_DebugDumpScheduler: not available\n"); }
