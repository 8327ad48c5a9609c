/* top: doubles every register and replies. */
#include "mrs.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    mrs_report("request", msginfo);
    seL4_Word count = microkit_msginfo_get_count(msginfo);
    for (seL4_Word i = 0; i < count; i++)
        microkit_mr_set((seL4_Uint8)i, microkit_mr_get((seL4_Uint8)i) * 2);
    return microkit_msginfo_new(9, count);
}
