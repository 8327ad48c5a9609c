/* server: wakes high from inside protected() and goes on serving. */
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
    say("notifying high");
    microkit_notify(2);
    say("still serving, replying");
    return microkit_msginfo_new(0, 0);
}
