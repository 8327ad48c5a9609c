/* A test PD: abort() is the host's. */
#include <stdlib.h>

#include "../common/pd.h"

void init(void)
{
    say("abort()");
    abort();
}

void notified(microkit_channel ch) { (void)ch; }
