/* client: two ppcalls to the server from init, then a notify to it. */
#include "out.h"

void init(void)
{
    for (seL4_Word call = 1; call <= 2; call++) {
        say_dec("calling server, call", call);
        microkit_ppcall(1, microkit_msginfo_new(call, 0));
        say("ppcall returned");
    }
    say("notifying server");
    microkit_notify(2);
    say("init ends");
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
