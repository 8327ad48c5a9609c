/* client (c1, c2, c3): one ppcall to the passive server from init, twice. */
#include "out.h"

void init(void)
{
    for (int i = 0; i < 2; i++) {
        say("calling server");
        microkit_msginfo reply = microkit_ppcall(1, microkit_msginfo_new(0, 0));
        say_dec("server says call number", microkit_msginfo_get_label(reply));
    }
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
