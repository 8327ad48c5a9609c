/* kick.h — the whole program of the PD that starts a case's scenario: the lowest-priority PD, so
 * its init runs when every other PD has run its own init and is waiting; it notifies channel
 * KICK_CHANNEL (default 1) once and reports when it continues. */
#ifndef DIFFERENTIAL_KICK_H
#define DIFFERENTIAL_KICK_H
#include "out.h"

#ifndef KICK_CHANNEL
#define KICK_CHANNEL 1
#endif

void init(void)
{
    say_dec("init, notifying channel", KICK_CHANNEL);
    microkit_notify(KICK_CHANNEL);
    say("after notify");
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
#endif
