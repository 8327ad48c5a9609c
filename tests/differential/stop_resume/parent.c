/* parent: when kick notifies it: stops its (waiting) child, notifies it, resumes it. */
#include "out.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say_dec("notified on channel", ch);
    say("stopping the child");
    microkit_pd_stop(0);
    say("notifying the child");
    microkit_notify(2);
    say("resuming the child");
    microkit_pd_resume(0);
    say("handler ends");
}
