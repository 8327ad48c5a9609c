/* A test PD: abort() is the host's, as assert() failing would call it. */
#include <stdlib.h>

#include "../common/pd.h"

void init(void)
{
    say("abort()");
    abort();
}

void notified(microkit_channel ch) { (void)ch; }
