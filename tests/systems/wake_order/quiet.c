#include "../common/pd.h"

/* Silent init: the order of equal-priority inits is not what this system tests. */
void init(void)
{
}

void notified(microkit_channel ch)
{
    say("notified by channel %u", ch);
}
