/* receiver.h — the whole program of a PD that only reports what happens to it:
 * "NAME: init" and "NAME: notified on channel CH". A case's X.c includes it when X needs nothing
 * else; with RECEIVER_QUIET_INIT defined first, init prints nothing (for a case whose rule is not
 * where the PD's init comes among others of its priority). */
#ifndef DIFFERENTIAL_RECEIVER_H
#define DIFFERENTIAL_RECEIVER_H
#include "out.h"

void init(void)
{
#ifndef RECEIVER_QUIET_INIT
    say("init");
#endif
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
#endif
