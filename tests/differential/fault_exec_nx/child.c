/* child: jumps into its non-executable region. */
#include "out.h"

seL4_Word data_base;

void init(void)
{
    out_begin();
    out("init, jumping to ");
    out_hex(data_base);
    out_end();
    ((void (*)(void))data_base)();
    say("returned"); /* not reached */
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
