#include "../common/pd.h"

void init(void)
{
    say("notify crasher");
    microkit_notify(1);
    say("back from notify crasher");
    say("notify bystander");
    microkit_notify(2);
    say("notify crasher again");
    microkit_notify(1);
    say("done");
}

void notified(microkit_channel ch) { say("notified by channel %u", ch); }
