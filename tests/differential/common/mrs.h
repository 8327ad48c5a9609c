/* mrs.h — whole-message checks for the ppcall cases: a compact summary of the message registers
 * a message carries (count, a position-weighted checksum, the first and the last), printed on one
 * line, so every one of 120 registers counts without 120 lines of output. */
#ifndef DIFFERENTIAL_MRS_H
#define DIFFERENTIAL_MRS_H
#include "out.h"

/* Sum of (i + 1) * MR[i] over the first COUNT registers (wrapping): a register out of place or
 * wrong changes it. */
static inline seL4_Word mrs_checksum(seL4_Word count)
{
    seL4_Word sum = 0;
    for (seL4_Word i = 0; i < count; i++)
        sum += (i + 1) * microkit_mr_get((seL4_Uint8)i);
    return sum;
}

/* "NAME: WHAT label L count C checksum S first F last X" */
static inline void mrs_report(const char *what, microkit_msginfo msginfo)
{
    seL4_Word count = microkit_msginfo_get_count(msginfo);
    out_begin();
    out(what);
    out(" label ");
    out_dec(microkit_msginfo_get_label(msginfo));
    out(" count ");
    out_dec(count);
    out(" checksum ");
    out_dec(mrs_checksum(count));
    if (count > 0) {
        out(" first ");
        out_dec(microkit_mr_get(0));
        out(" last ");
        out_dec(microkit_mr_get((seL4_Uint8)(count - 1)));
    }
    out_end();
}
#endif
