/* caller: methods on capabilities of the wrong kind, each seL4_Error printed; then the fault of
 * its child, which calls on an empty capability slot. */
#include "out.h"

static void said(const char *what, seL4_Error err)
{
    say_dec(what, (seL4_Word)err);
}

void init(void)
{
    say("init");
    said("TCB_Suspend on the notification (signals peer):", seL4_TCB_Suspend(BASE_OUTPUT_NOTIFICATION_CAP + 2));
    said("IRQHandler_Ack on the notification (signals peer):", seL4_IRQHandler_Ack(BASE_OUTPUT_NOTIFICATION_CAP + 2));
    said("IRQHandler_Ack on the child's TCB:", seL4_IRQHandler_Ack(BASE_TCB_CAP + 1));
    said("TCB_Suspend on the IRQ handler:", seL4_TCB_Suspend(BASE_IRQ_CAP + 5));
    said("IRQHandler_Ack on the IRQ handler:", seL4_IRQHandler_Ack(BASE_IRQ_CAP + 5));
    said("TCB_Resume on the running child:", seL4_TCB_Resume(BASE_TCB_CAP + 1));
    said("TCB_Suspend on the child:", seL4_TCB_Suspend(BASE_TCB_CAP + 1));
    said("TCB_Resume on the suspended child:", seL4_TCB_Resume(BASE_TCB_CAP + 1));
}

void notified(microkit_channel ch)
{
    say_dec("notified on channel", ch);
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    (void)reply_msginfo;
    out_begin();
    out("fault from child ");
    out_dec(child);
    out(": label ");
    out_dec(microkit_msginfo_get_label(msginfo));
    out(", address ");
    out_dec(microkit_mr_get(seL4_CapFault_Addr));
    out(", in receive phase ");
    out_dec(microkit_mr_get(seL4_CapFault_InRecvPhase));
    out(", lookup failure ");
    out_dec(microkit_mr_get(seL4_CapFault_LookupFailureType));
    out_end();
    microkit_pd_stop(child);
    return seL4_False;
}
