#include "../common/pd.h"

void init(void)
{
    say("up");
    microkit_ppcall(1, microkit_msginfo_new(0, 0));
}

void notified(microkit_channel ch) { (void)ch; }
