/* tx: notified by kick, signals rx on three channels and other (which signals rx too). */
#include "out.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say_dec("notified on channel", ch);
    say("signalling rx's 9, rx's 61, other, rx's 4");
    microkit_notify(1);
    microkit_notify(2);
    microkit_notify(3);
    microkit_notify(4);
    say("handler ends");
}
