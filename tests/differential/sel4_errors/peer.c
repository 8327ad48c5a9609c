/* peer: says what reaches it. */
#include "out.h"

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    say_dec("notified on channel", ch);
}
