/* kid: calls on empty capability slots of its CNode (errors, and the debug kernel's lines), then on
 * an address beyond it (a capability fault, which its parent handles by stopping it). */
#include "out.h"

void init(void)
{
    say("init, signalling an empty slot");
    seL4_Signal(BASE_OUTPUT_NOTIFICATION_CAP + 9);
    say("after the signal");
    seL4_MessageInfo_t r = seL4_Call(BASE_ENDPOINT_CAP + 9, seL4_MessageInfo_new(7, 0, 0, 0));
    say_dec("call on an empty slot: label", seL4_MessageInfo_get_label(r));
    say_dec("TCB_Suspend on an empty slot:", seL4_TCB_Suspend(BASE_TCB_CAP + 9));
    say_dec("TCB_Suspend on 700, beyond the CNode:", seL4_TCB_Suspend(700)); /* a fault: never returns */
}

void notified(microkit_channel ch)
{
    say_dec("notified on channel", ch);
}
