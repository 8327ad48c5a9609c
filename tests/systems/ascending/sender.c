#include "../common/pd.h"

void init(void)
{
    say("init");
    /* receiver's ids: 9, 2, 61, 2 again, 0 */
    microkit_notify(0);
    microkit_notify(1);
    microkit_notify(2);
    microkit_notify(1);
    microkit_notify(3);
    say("done");
}

void notified(microkit_channel ch)
{
    say("unexpected notification on channel %u", ch);
}
