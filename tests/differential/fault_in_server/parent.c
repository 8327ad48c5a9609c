/* parent: stops its server when it faults. */
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
    out_end();
    say("stopping the server");
    microkit_pd_stop(child);
    return seL4_False;
}
