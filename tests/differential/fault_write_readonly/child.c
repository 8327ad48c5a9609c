/* child: reads its read-only region, then writes to it (at offset 0x18). */
#include "out.h"

seL4_Word ro_base;

void init(void)
{
    out_begin();
    out("init, region at ");
    out_hex(ro_base);
    out(", reading word 3: ");
    out_dec(((volatile seL4_Word *)ro_base)[3]);
    out_end();
    say("writing word 3");
    ((volatile seL4_Word *)ro_base)[3] = 1;
    say("written"); /* not reached */
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
