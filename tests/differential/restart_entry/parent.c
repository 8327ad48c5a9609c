/* parent: learns an entry point from its child (ppcall, MR 0); restarts the child there when it
 * first faults, and stops it at the second fault. */
#include "out.h"

static seL4_Word entry, faults;

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)msginfo;
    entry = microkit_mr_get(0);
    say_dec("child gave its entry point on channel", ch);
    return microkit_msginfo_new(0, 0);
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    (void)reply_msginfo;
    faults++;
    out_fault_begin(child, msginfo);
    out_end();
    if (faults == 1) {
        say("restarting the child at the entry point it gave");
        microkit_pd_restart(child, entry);
    } else {
        say("stopping the child");
        microkit_pd_stop(child);
    }
    return seL4_False;
}
