/* parent: resumes its faulting child three times (fault() returns true), then stops it. */
#include "out.h"

static seL4_Word faults;

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
    faults++;
    out_fault_begin(child, msginfo);
    out(", address ");
    out_hex(microkit_mr_get(seL4_VMFault_Addr));
    out(", fault number ");
    out_dec(faults);
    out_end();
    if (faults < 4) {
        say("resuming the child");
        *reply_msginfo = microkit_msginfo_new(0, 0);
        return seL4_True;
    }
    say("stopping the child");
    microkit_pd_stop(child);
    return seL4_False;
}
