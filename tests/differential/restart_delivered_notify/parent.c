/* parent: when kick notifies it: notifies its (waiting) child, stops it, restarts it. */
#include "out.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say_dec("notified on channel", ch);
    say("notifying the child");
    microkit_notify(2);
    say("stopping the child");
    microkit_pd_stop(0);
    say("restarting the child");
    microkit_pd_restart(0, CHILD_ENTRY);
    say("handler ends");
}
