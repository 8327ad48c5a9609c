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
    chain_info("from a", msginfo);
    chain_check(1, "from a");
    chain_fill(2);
    say("ppcall c");
    microkit_msginfo r = microkit_ppcall(3, microkit_msginfo_new(0xb2, NMR));
    chain_info("reply from c", r);
    chain_check(3, "reply from c");
    chain_fill(4);
    say("reply to a");
    return microkit_msginfo_new(0xb4, NMR);
}
