#include "../common/pd.h"

static unsigned ends;

void init(void) { say("up"); }

void notified(microkit_channel ch) { say("notified by channel %u", ch); }

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply)
{
    (void)msginfo;
    (void)reply;
    if (ends++ == 0) {
        say("child %u ended; restarting it", child);
        microkit_pd_restart(child, 0);
    } else {
        say("child %u ended again; stopping it", child);
        microkit_pd_stop(child);
    }
    return seL4_False;
}
