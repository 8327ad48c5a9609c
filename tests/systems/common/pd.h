/* pd.h — printing helpers for the test systems' PDs. Freestanding C over the Microkit API only
 * (microkit_dbg_putc), so the PDs build for seL4 too.
 *   say(fmt, ...): prints "NAME: " (this PD's microkit_name), then fmt, then a newline.
 *   out(fmt, ...): prints fmt as is.
 * Formats: %s string, %c char, %u unsigned int (e.g. a channel), %U seL4_Word in decimal,
 * %x seL4_Word in hex with 0x, %% a percent sign. */
#ifndef TEST_PD_H
#define TEST_PD_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include <microkit.h>

static inline void pd_put_dec(seL4_Word w)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = (char)('0' + w % 10);
        w /= 10;
    } while (w);
    while (n)
        microkit_dbg_putc(buf[--n]);
}

static inline void pd_put_hex(seL4_Word w)
{
    static const char digits[] = "0123456789abcdef";
    int i = 2 * (int)sizeof(seL4_Word) - 1;
    microkit_dbg_putc('0');
    microkit_dbg_putc('x');
    while (i > 0 && ((w >> (4 * i)) & 0xf) == 0)
        i--;
    for (; i >= 0; i--)
        microkit_dbg_putc(digits[(w >> (4 * i)) & 0xf]);
}

static inline void pd_vout(const char *fmt, va_list ap)
{
    for (const char *p = fmt; *p; p++) {
        if (*p != '%' || !p[1]) {
            microkit_dbg_putc(*p);
            continue;
        }
        switch (*++p) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            microkit_dbg_puts(s ? s : "(null)");
            break;
        }
        case 'c':
            microkit_dbg_putc((char)va_arg(ap, int));
            break;
        case 'u':
            pd_put_dec(va_arg(ap, unsigned int));
            break;
        case 'U':
            pd_put_dec(va_arg(ap, seL4_Word));
            break;
        case 'x':
            pd_put_hex(va_arg(ap, seL4_Word));
            break;
        default:
            microkit_dbg_putc(*p);
            break;
        }
    }
}

static inline void out(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pd_vout(fmt, ap);
    va_end(ap);
}

static inline void say(const char *fmt, ...)
{
    va_list ap;
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": ");
    va_start(ap, fmt);
    pd_vout(fmt, ap);
    va_end(ap);
    microkit_dbg_putc('\n');
}

/* Writes to an unmapped address: a fault (a crash) on seL4 and under hostkit alike. */
static inline void crash(void)
{
    static volatile uintptr_t unmapped = 0x8; /* volatile: the compiler cannot see it is bad */
    *(volatile seL4_Word *)unmapped = 1;
}

#endif
