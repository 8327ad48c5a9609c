/* server: passive; when notified, notifies back. */
#include "out.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say_dec("notified on channel", ch);
    say("notifying kick back");
    microkit_notify(4);
}
