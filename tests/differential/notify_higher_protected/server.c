/* server: in protected(), notifies higher-priority PDs before it replies. */
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
    out_begin();
    out("protected on channel ");
    out_dec(ch);
    out(", label ");
    out_dec(microkit_msginfo_get_label(msginfo));
    out_end();
    say("notifying target");
    microkit_notify(3);
    say("replying");
    return microkit_msginfo_new(8, 0);
}
