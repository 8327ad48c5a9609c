#include <unistd.h>

#include "../common/pd.h"

void init(void)
{
    say("pid %U", (seL4_Word)getpid());
    microkit_ppcall(1, microkit_msginfo_new(0, 0));
}

void notified(microkit_channel ch) { (void)ch; }
