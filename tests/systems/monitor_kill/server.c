#include "../common/pd.h"

void init(void) { say("up"); }

void notified(microkit_channel ch) { (void)ch; }

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    (void)msginfo;
    say("spinning");
    for (;;)
        ;
}
