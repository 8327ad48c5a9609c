#include "../common/pd.h"

void init(void)
{
    volatile seL4_Word *ro = (volatile seL4_Word *)0x4000000;
    say("read %x from the read-only map, now write to it", ro[1]);
    ro[1] = 1;
    say("still alive");
}

void notified(microkit_channel ch) { (void)ch; }
