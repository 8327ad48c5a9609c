#include "chain.h"

void init(void)
{
    say("init");
    chain_fill(1);
    say("ppcall b");
    microkit_msginfo r = microkit_ppcall(1, microkit_msginfo_new(0xa1, NMR));
    chain_info("reply from b", r);
    chain_check(4, "reply from b");
}

void notified(microkit_channel ch)
{
    say("unexpected notification on channel %u", ch);
}
