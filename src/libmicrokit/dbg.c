/* dbg.c — libmicrokit's debug output (microkit_dbg_putc and friends), over the debug kernel's
 * seL4_DebugPutChar, as libmicrokit prints in a debug configuration (CONFIG_PRINTING). */
#include <microkit.h>

void microkit_dbg_putc(int c) { seL4_DebugPutChar((char)c); }

void microkit_dbg_puts(const char *s)
{
    while (*s)
        seL4_DebugPutChar(*s++);
}

/* Decimal, as libmicrokit prints them. */
void microkit_dbg_put32(seL4_Uint32 x)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char)('0' + x % 10);
        x /= 10;
    } while (x);
    while (n)
        seL4_DebugPutChar(digits[--n]);
}

void microkit_dbg_put8(seL4_Uint8 x) { microkit_dbg_put32(x); }
