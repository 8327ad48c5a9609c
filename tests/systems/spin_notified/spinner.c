#include "../common/pd.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say("notified by channel %u, spinning", ch);
    for (volatile seL4_Word i = 0;; i++)
        ;
}
