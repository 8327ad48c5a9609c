#include "../common/pd.h"

void init(void)
{
    volatile seL4_Word *t = (volatile seL4_Word *)0x5000000;
    say("read %x", t[2]);
    say("writing to the read-only map");
    t[2] = 0xbad;
    say("still alive");
}

void notified(microkit_channel ch) { (void)ch; }
