/* client: a ppcall to the server from init, then a notify to it. */
#include "out.h"

void init(void)
{
    say("init, calling server");
    microkit_ppcall(1, microkit_msginfo_new(0, 0));
    say("ppcall returned, notifying server");
    microkit_notify(2);
    say("init ends");
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
