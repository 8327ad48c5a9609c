/* A test PD: exit() is the host's. */
#include <stdlib.h>

#include "../common/pd.h"

void init(void)
{
    say("exit(3)");
    exit(3);
}

void notified(microkit_channel ch) { (void)ch; }
