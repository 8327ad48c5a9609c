/* actor: notified by kick, notifies the target (channel 7) from notified(). */
#include "out.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say_dec("notified on channel", ch);
    say("notifying target");
    microkit_notify(7);
    say("after notify, handler ends");
}
