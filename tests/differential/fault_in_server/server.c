/* server: serves c2 (its channel 2); faults while serving c1 (channel 1). */
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

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)msginfo;
    say_dec("protected on channel", ch);
    if (ch == 1) {
        say("faulting");
        (void)*(volatile seL4_Word *)0x5000000;
    }
    return microkit_msginfo_new(0, 0);
}
