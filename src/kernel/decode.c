/* decode.c — what seL4 answers to an invocation it refuses (seL4 manual, "Errors"; the kernel's
 * decodeInvocation and handleInvocation): a capability address outside the CSpace (a capability
 * fault in a blocking call, lookup failure seL4_InvalidRoot), an empty slot
 * (seL4_InvalidCapability), a method the object does not have (seL4_IllegalOperation). A debug
 * kernel says each on the serial line, in its userError words: so does hostkit (debug.c). */
#include "kernel/cspace.h"

seL4_Error hk_no_cap(seL4_CPtr cptr, enum hk_cap kind, bool blocking)
{
    if (kind == HK_CAP_INVALID) {
        hk_user_error("handleInvocation", 286, "Invocation of invalid cap #%lu.", (unsigned long)cptr);
        if (blocking)
            hk_cap_fault(cptr, false, seL4_InvalidRoot);
        return seL4_InvalidCapability;
    }
    hk_user_error("decodeInvocation", 646, "Attempted to invoke a null cap #%lu.", (unsigned long)cptr);
    return seL4_InvalidCapability;
}

seL4_Error hk_illegal_operation(enum hk_cap kind)
{
    switch (kind) {
    case HK_CAP_TCB: hk_user_error("decodeTCBInvocation", 890, "TCB: Illegal operation."); break;
    case HK_CAP_IRQ: hk_user_error("decodeIRQHandlerInvocation", 128, "IRQHandler: Illegal operation."); break;
    case HK_CAP_IOPORT: hk_user_error("decodeX86PortInvocation", 0, "IOPort: Illegal operation."); break;
    case HK_CAP_VSPACE: hk_user_error("decodeARMMMUInvocation", 0, "VSpace: Illegal operation."); break;
    default: hk_user_error("decodeInvocation", 0, "Illegal operation."); break;
    }
    return seL4_IllegalOperation;
}
