#include "../common/pd.h"

void init(void)
{
    volatile seL4_Word *t = (volatile seL4_Word *)0x4000000;
    t[2] = 0xfeed;
    say("wrote %x", t[2]);
}

void notified(microkit_channel ch) { (void)ch; }
