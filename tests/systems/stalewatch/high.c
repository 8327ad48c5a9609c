#include "../common/pd.h"
#include "busy.h"

void init(void) {}

void notified(microkit_channel ch)
{
    say("notified by channel %u", ch);
    busy_ms(5);
    say("done");
}
