/* client: makes one ppcall (channel 1) from init and reports the reply's label. */
#include "out.h"

void init(void)
{
    say("init, calling server");
    microkit_msginfo reply = microkit_ppcall(1, microkit_msginfo_new(7, 0));
    say_dec("ppcall returned, label", microkit_msginfo_get_label(reply));
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
