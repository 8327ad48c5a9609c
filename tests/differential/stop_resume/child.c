/* child: reports its starts (counted in static data) and notifications. */
#include "out.h"

static seL4_Word starts;

void init(void)
{
    starts++;
    say_dec("init, start", starts);
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
