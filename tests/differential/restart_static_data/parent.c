/* parent: restarts its faulting child at its entry point up to three times, then stops it. */
#include "out.h"

static seL4_Word restarts;

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
    if (restarts < 3) {
        restarts++;
        say_dec("restarting the child, time", restarts);
        microkit_pd_restart(child, CHILD_ENTRY);
    } else {
        say("stopping the child");
        microkit_pd_stop(child);
    }
    return seL4_False;
}
