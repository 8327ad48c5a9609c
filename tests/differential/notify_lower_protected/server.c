/* server: in protected(), notifies lower-priority PDs before it replies. */
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
    say("notifying above_client");
    microkit_notify(3);
    say("notifying below_client");
    microkit_notify(4);
    say("replying");
    return microkit_msginfo_new(8, 0);
}
