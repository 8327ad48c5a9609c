/* One image for every PD of init_order: it prints its own name, so the order shows. */
#include "../common/pd.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say("unexpected notification on channel %u", ch);
}
