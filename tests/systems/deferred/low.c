#include "../common/pd.h"

void init(void)
{
    say("init: deferred notify high");
    microkit_deferred_notify(1);
    microkit_dbg_puts("low: half a line, ");
    microkit_ppcall(2, microkit_msginfo_new(0, 0));
    microkit_dbg_puts("the other half\n");
    say("init end");
}

void notified(microkit_channel ch)
{
    say("notified by channel %u: deferred notify high", ch);
    microkit_deferred_notify(1);
    say("handler end");
}
