/* mid: adds 1000 to every register and passes the message on to top; XORs top's reply with the
 * register number and replies with it. */
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
        microkit_mr_set((seL4_Uint8)i, microkit_mr_get((seL4_Uint8)i) + 1000);
    microkit_msginfo reply = microkit_ppcall(1, microkit_msginfo_new(8, count));
    mrs_report("top's reply", reply);
    count = microkit_msginfo_get_count(reply);
    for (seL4_Word i = 0; i < count; i++)
        microkit_mr_set((seL4_Uint8)i, microkit_mr_get((seL4_Uint8)i) ^ i);
    return microkit_msginfo_new(10, count);
}
