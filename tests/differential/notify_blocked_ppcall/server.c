/* server: in protected(), signals the (blocked) client and wakes high. */
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
    say("notifying the client, then high");
    microkit_notify(1);
    microkit_notify(2);
    say("replying");
    return microkit_msginfo_new(0, 0);
}
