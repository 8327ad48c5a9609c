/* child: counts its starts in static data; faults in the first three. */
#include "out.h"

static seL4_Word starts;
static seL4_Word initialised = 7;

void init(void)
{
    starts++;
    out_begin();
    out("init, start ");
    out_dec(starts);
    out(", initialised data ");
    out_dec(initialised);
    out_end();
    initialised++;
    if (starts < 4) {
        say("faulting");
        (void)*(volatile seL4_Word *)0x5000000;
    }
    say("not faulting this time");
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
