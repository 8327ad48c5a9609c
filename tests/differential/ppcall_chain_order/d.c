/* d: the end of the chain: replies with label 50 and the registers it got, reversed. */
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
    mrs_report("called", msginfo);
    seL4_Word count = microkit_msginfo_get_count(msginfo);
    for (seL4_Word i = 0; i < count / 2; i++) {
        seL4_Word lo = microkit_mr_get((seL4_Uint8)i), hi = microkit_mr_get((seL4_Uint8)(count - 1 - i));
        microkit_mr_set((seL4_Uint8)i, hi);
        microkit_mr_set((seL4_Uint8)(count - 1 - i), lo);
    }
    return microkit_msginfo_new(50, count);
}
