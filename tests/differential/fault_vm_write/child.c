/* child: writes to an unmapped address from init. */
#include "out.h"

void init(void)
{
    say("init, writing 0x5000000");
    *(volatile seL4_Word *)0x5000000 = 1;
    say("written"); /* not reached */
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
