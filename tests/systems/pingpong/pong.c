#include "../common/pd.h"

static seL4_Word count;

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    (void)ch;
    say("%U", ++count);
    microkit_notify(2);
}
