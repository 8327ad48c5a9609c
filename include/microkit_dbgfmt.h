/* microkit_dbgfmt.h — number formatting for PD debug output, over microkit_dbg_putc only.
 *
 * libmicrokit prints decimal 8- and 32-bit numbers (microkit_dbg_put8/_put32); PDs often need a
 * whole word, in decimal or hex. Header-only and freestanding, so a PD using it builds unchanged for
 * hostkit and for the Microkit SDK. */
#ifndef MICROKIT_DBGFMT_H
#define MICROKIT_DBGFMT_H

#include <microkit.h>

/* W in decimal. */
static inline void dbgfmt_put_dec(seL4_Word w)
{
    char digits[20];
    int n = 0;
    do {
        digits[n++] = (char)('0' + w % 10);
        w /= 10;
    } while (w);
    while (n)
        microkit_dbg_putc(digits[--n]);
}

/* W in hex with a 0x prefix and no leading zeros. */
static inline void dbgfmt_put_hex(seL4_Word w)
{
    microkit_dbg_puts("0x");
    int shift = 60;
    while (shift > 0 && ((w >> shift) & 0xf) == 0)
        shift -= 4;
    for (; shift >= 0; shift -= 4)
        microkit_dbg_putc("0123456789abcdef"[(w >> shift) & 0xf]);
}

#endif
