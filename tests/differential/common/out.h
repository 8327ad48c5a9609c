/* out.h — how the PDs of the differential suite print: whole lines prefixed with the PD's name,
 * with decimal and hex numbers. Built on microkit_dbg_puts (through microkit_dbgfmt.h) only, so a
 * case builds unchanged, freestanding, for hostkit and for the Microkit SDK.
 *
 * Every line a PD prints is "NAME: TEXT", NAME being the PD's name from the system description
 * (microkit_name), so several PDs can share one image and a transcript says who printed what. */
#ifndef DIFFERENTIAL_OUT_H
#define DIFFERENTIAL_OUT_H

#include <microkit.h>
#include <microkit_dbgfmt.h>

/* Start a line: "NAME: ". */
static inline void out_begin(void)
{
    microkit_dbg_puts(microkit_name);
    microkit_dbg_puts(": ");
}

static inline void out(const char *s)
{
    microkit_dbg_puts(s);
}

static inline void out_dec(seL4_Word w)
{
    dbgfmt_put_dec(w);
}

static inline void out_hex(seL4_Word w)
{
    dbgfmt_put_hex(w);
}

static inline void out_end(void)
{
    microkit_dbg_puts("\n");
}

/* "NAME: TEXT" */
static inline void say(const char *text)
{
    out_begin();
    out(text);
    out_end();
}

/* "NAME: TEXT N" (N in decimal) */
static inline void say_dec(const char *text, seL4_Word n)
{
    out_begin();
    out(text);
    out(" ");
    out_dec(n);
    out_end();
}

/* "NAME: notified on channel CH": what most receivers print. */
static inline void say_notified(microkit_channel ch)
{
    say_dec("notified on channel", ch);
}

/* The name of a fault label, from the libmicrokit header the PD is built with (seL4's
 * seL4_FaultType on the SDK, hostkit's own on hostkit), or "?" for another one. */
static inline const char *fault_label_name(seL4_Word label)
{
    switch (label) {
    case seL4_Fault_NullFault:
        return "NullFault";
    case seL4_Fault_CapFault:
        return "CapFault";
    case seL4_Fault_UnknownSyscall:
        return "UnknownSyscall";
    case seL4_Fault_UserException:
        return "UserException";
    case seL4_Fault_VMFault:
        return "VMFault";
    default:
        return "?";
    }
}

/* "NAME: fault from child C: label L (NAME)" — the start of a fault() report; the caller adds
 * the message registers that are the same on every host, then ends the line. */
static inline void out_fault_begin(microkit_child child, microkit_msginfo msginfo)
{
    seL4_Word label = microkit_msginfo_get_label(msginfo);
    out_begin();
    out("fault from child ");
    out_dec(child);
    out(": label ");
    out_dec(label);
    out(" (");
    out(fault_label_name(label));
    out(")");
}

/* Where a child starts when restarted: its image's entry point, _start, which the SDK's
 * microkit.ld puts first in .text at 0x200000. seL4 sets the child's program counter to it;
 * hostkit may not be able to honour it. */
#define CHILD_ENTRY 0x200000

#endif
