/* child: reads an unmapped address from init. */
#include "out.h"

void init(void)
{
    say("init, reading 0x5000000");
    seL4_Word v = *(volatile seL4_Word *)0x5000000;
    say_dec("read", v); /* not reached */
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
