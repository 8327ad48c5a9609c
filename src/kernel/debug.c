/* debug.c — a debug kernel's output calls (seL4_DebugPutChar, which libmicrokit's microkit_dbg_*
 * print through): a line buffer written to the monitor's pipe at each newline and whenever the
 * PD gives up its CPU (cpu.h flushes before any hand-over), so all PDs' output arrives in the
 * order it was produced, as on a single serial line. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
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

/* A debug kernel's report of a user error (seL4's userError, which it prints with CONFIG_PRINTING):
 * the same line, colours included — "<<seL4(CPU 0) [FUNCTION/LINE T0xTHREAD "NAME" @IP]: TEXT>>",
 * FUNCTION and LINE where seL4 2.0.1's kernel reports it. The thread is the PD's index and the IP
 * the kernel's caller: both are the host's, as on seL4 they are addresses of that system. */
void hk_user_error(const char *function, unsigned line, const char *fmt, ...)
{
    char text[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    char out[320];
    int n = snprintf(out, sizeof out,
                     "\033[0m\033[1m<<\033[0m\033[32mseL4(CPU %u)\033[0m\033[1m [%s/%u T0x%x \"%s\" @%lx]: %s>>\033[0m\n",
                     hk_cpu, function, line, (unsigned)hk_self, hk_name,
                     (unsigned long)(uintptr_t)__builtin_return_address(0), text);
    for (int k = 0; k < n && k < (int)sizeof out; k++)
        seL4_DebugPutChar(out[k]);
}

void seL4_DebugDumpScheduler(void) { seL4_DebugPutString("hostkit: seL4_DebugDumpScheduler: not available\n"); }
