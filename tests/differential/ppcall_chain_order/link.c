/* link (b and c): passes the call on with label+1 and one more register, and the reply back with
 * label+1 and one more register. */
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
    microkit_mr_set((seL4_Uint8)count, 100 + count);
    microkit_msginfo reply = microkit_ppcall(1, microkit_msginfo_new(microkit_msginfo_get_label(msginfo) + 1, count + 1));
    mrs_report("reply", reply);
    count = microkit_msginfo_get_count(reply);
    microkit_mr_set((seL4_Uint8)count, 200 + count);
    return microkit_msginfo_new(microkit_msginfo_get_label(reply) + 1, count + 1);
}
