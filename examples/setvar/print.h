/* "NAME: what = VALUE" lines over microkit_dbgfmt.h (no libc in a PD). */
#ifndef SETVAR_PRINT_H
#define SETVAR_PRINT_H

#include <microkit.h>
#include <microkit_dbgfmt.h>

/* "NAME: what = VALUE" with VALUE in hex. */
static inline void show_hex(const char *what, seL4_Word value)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": ");
    microkit_dbg_puts(what);
    microkit_dbg_puts(" = ");
    dbgfmt_put_hex(value);
    microkit_dbg_puts("\n");
}

static inline void show_dec(const char *what, seL4_Word value)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": ");
    microkit_dbg_puts(what);
    microkit_dbg_puts(" = ");
    dbgfmt_put_dec(value);
    microkit_dbg_puts("\n");
}

#endif
