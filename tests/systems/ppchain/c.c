#include "chain.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say("unexpected notification on channel %u", ch);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    say("ppcall on channel %u", ch);
    chain_info("from b", msginfo);
    chain_check(2, "from b");
    chain_fill(3);
    say("reply to b");
    return microkit_msginfo_new(0xc3, NMR);
}
