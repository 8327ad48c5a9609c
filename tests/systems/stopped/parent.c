#include "../common/pd.h"

void init(void)
{
    say("stopping child 3");
    microkit_pd_stop(3);
    say("spinning");
    for (volatile seL4_Word i = 0;; i++)
        ;
}

void notified(microkit_channel ch)
{
    say("notified by channel %u", ch);
}
