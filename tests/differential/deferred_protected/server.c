/* server: defers a notify to target from protected(). */
#include "out.h"

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
    say_dec("protected on channel", ch);
    say("deferring a notify to target, replying");
    microkit_deferred_notify(3);
    return microkit_msginfo_new(0, 0);
}
