/* parent.h — the whole program of a fault case's parent: it reports each fault of its child
 * (child id 0) with the fault's label and those message registers that are the same on every
 * host, then stops the child for good.
 *
 * For a VMFault it prints the fault address and the prefetch flag (the address is always one the
 * case chose: a region's vaddr or a fixed unmapped one), and with PARENT_PRINT_IP also the
 * faulting instruction's address (only for a case whose pc is its own: a jump into a region). A
 * UserException's registers (pc, sp, and an architecture's exception number and code) differ
 * between hosts: only its label is printed. */
#ifndef DIFFERENTIAL_PARENT_H
#define DIFFERENTIAL_PARENT_H
#include "out.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    (void)reply_msginfo;
    out_fault_begin(child, msginfo);
    if (microkit_msginfo_get_label(msginfo) == seL4_Fault_VMFault) {
        out(", address ");
        out_hex(microkit_mr_get(seL4_VMFault_Addr));
        out(", prefetch ");
        out_dec(microkit_mr_get(seL4_VMFault_PrefetchFault));
#ifdef PARENT_PRINT_IP
        out(", ip ");
        out_hex(microkit_mr_get(seL4_VMFault_IP));
#endif
    }
    out_end();
    say("stopping the child");
    microkit_pd_stop(child);
    return seL4_False;
}
#endif
