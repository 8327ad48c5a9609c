/* a: when kick notifies it, starts the chain: a ppcall with label 1 and one register. */
#include "mrs.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say_dec("notified on channel", ch);
    microkit_mr_set(0, 100);
    say("calling b, label 1, 1 register");
    microkit_msginfo reply = microkit_ppcall(1, microkit_msginfo_new(1, 1));
    mrs_report("b replied", reply);
}
