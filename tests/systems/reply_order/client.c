#include "../common/pd.h"

/* Silent init: the order of equal-priority inits is not what this system tests. */
void init(void)
{
}

void notified(microkit_channel ch)
{
    say("notified by channel %u, ppcall server", ch);
    microkit_ppcall(1, microkit_msginfo_new(0, 0));
    say("back from ppcall");
}
