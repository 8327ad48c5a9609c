#include "../common/pd.h"
#include "busy.h"

static unsigned calls;

void init(void) {}

void notified(microkit_channel ch) { (void)ch; }

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    (void)msginfo;
    if (++calls == 2) {
        busy_ms(2); /* longer than the client spins: it sleeps, the spin slot is free */
        say("notify high");
        microkit_notify(2);
        say("back");
    }
    return microkit_msginfo_new(0, 0);
}
