/* client: one ppcall to the passive server from init. */
#include "out.h"

void init(void)
{
    say("init, calling server");
    microkit_ppcall(1, microkit_msginfo_new(0, 0));
    say("ppcall returned");
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
