/* parent: restarts its child the first time it faults, stops it the next. */
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
    (void)reply_msginfo;
    faults++;
    out_fault_begin(child, msginfo);
    out_end();
    if (faults == 1) {
        say("restarting the child");
        microkit_pd_restart(child, CHILD_ENTRY);
    } else {
        say("stopping the child");
        microkit_pd_stop(child);
    }
    return seL4_False;
}
