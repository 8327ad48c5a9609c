/* child: writes to its read-only region once. */
#include "out.h"

void init(void)
{
    say("init, writing to the read-only region");
    *(volatile seL4_Word *)0x4000008 = 1;
    say("written"); /* not reached */
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
