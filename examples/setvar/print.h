/* Small output helpers over microkit_dbg_putc (no libc in a PD). */
#ifndef SETVAR_PRINT_H
#define SETVAR_PRINT_H

#include <microkit.h>

static inline void put_hex(seL4_Word w)
{
    microkit_dbg_puts("0x");
    int i = 60;
    while (i > 0 && ((w >> i) & 0xf) == 0)
        i -= 4;
    for (; i >= 0; i -= 4)
        microkit_dbg_putc("0123456789abcdef"[(w >> i) & 0xf]);
}

static inline void put_dec(seL4_Word w)
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

/* "NAME: what = VALUE" with VALUE in hex. */
static inline void show_hex(const char *what, seL4_Word value)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": ");
    microkit_dbg_puts(what);
    microkit_dbg_puts(" = ");
    put_hex(value);
    microkit_dbg_puts("\n");
}

static inline void show_dec(const char *what, seL4_Word value)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": ");
    microkit_dbg_puts(what);
    microkit_dbg_puts(" = ");
    put_dec(value);
    microkit_dbg_puts("\n");
}

#endif
