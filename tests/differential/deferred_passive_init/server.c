/* server: passive; defers a notify to target from its init. */
#include "out.h"

void init(void)
{
    say("init, deferring a notify to target");
    microkit_deferred_notify(2);
    say("init ends");
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)msginfo;
    say_dec("protected on channel", ch);
    return microkit_msginfo_new(0, 0);
}
