#include "../common/pd.h"

void init(void)
{
    say("spinning");
    for (volatile seL4_Word i = 0;; i++)
        ;
}

void notified(microkit_channel ch)
{
    say("notified by channel %u", ch);
}
