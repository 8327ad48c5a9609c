#include "../common/pd.h"

void init(void)
{
    say("init, buf word 0 is %x", *(volatile seL4_Word *)0x4000000);
}

void notified(microkit_channel ch) { (void)ch; }
