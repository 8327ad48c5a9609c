#include "../common/pd.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say("notified by channel %u", ch);
    if (ch == 2) {
        /* low is below both us and mid (which we preempted): it must wait for both. */
        say("notify low");
        microkit_notify(5);
        say("back from notify low");
    }
}
