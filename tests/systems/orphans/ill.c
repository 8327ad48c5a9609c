#include "../common/pd.h"

void init(void)
{
    say("illegal instruction");
    __builtin_trap();
}

void notified(microkit_channel ch) { (void)ch; }
