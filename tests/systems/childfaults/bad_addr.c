#include "../common/pd.h"

void init(void)
{
    static volatile uintptr_t addr = 0x10; /* volatile: the compiler cannot see it is bad */
    say("read from 0x10");
    (void)*(volatile seL4_Word *)addr;
    say("still alive");
}

void notified(microkit_channel ch) { (void)ch; }
