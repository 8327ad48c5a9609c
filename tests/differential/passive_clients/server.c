/* server: passive; counts the calls it serves and replies with the count as the label. */
#include "out.h"

static seL4_Word calls;

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
    calls++;
    say_dec("protected on channel", ch);
    return microkit_msginfo_new(calls, 0);
}
