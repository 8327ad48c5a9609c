#include "../common/pd.h"

void init(void)
{
    say("about to crash");
    crash();
    say("still alive");
}

void notified(microkit_channel ch) { (void)ch; }
