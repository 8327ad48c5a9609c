/* node: one of the 63 PDs (n01 .. n63) of a chain. Channel 0 is the previous (lower) node,
 * channel 1 the next (higher) one; n01 has no previous, n63 no next. */
#include "out.h"

static int name_is(const char *s)
{
    const char *n = microkit_name;
    while (*s && *n == *s) {
        n++;
        s++;
    }
    return *s == 0 && *n == 0;
}

void init(void)
{
    say("init");
    if (name_is("n01")) {
        say("starting the chain");
        microkit_notify(1);
        say("the chain is back");
    }
}

void notified(microkit_channel ch)
{
    say_dec("notified on channel", ch);
    if (name_is("n63")) {
        say("end of the chain");
        return;
    }
    microkit_notify(1);
    say("next done");
}
