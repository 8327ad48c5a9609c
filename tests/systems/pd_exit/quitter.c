/* A host-only fixture: a PD process that exits by itself. Real PDs cannot (there is no exit in
 * the Microkit API), so this one file steps outside freestanding C on purpose. */
#include <stdlib.h>

#include "../common/pd.h"

void init(void)
{
    say("exiting");
    _Exit(3);
}

void notified(microkit_channel ch)
{
    say("notified by channel %u", ch);
}
