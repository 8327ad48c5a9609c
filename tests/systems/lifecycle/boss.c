#include "../common/pd.h"

#define KID 1
static volatile seL4_Word *const mode = (volatile seL4_Word *)0x4000000;
static seL4_Word faults, ups;

void init(void)
{
    say("init");
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply_msginfo)
{
    (void)reply_msginfo;
    faults++;
    say("fault %U from child %u: label %U, addr %x", faults, child, microkit_msginfo_get_label(msginfo),
        microkit_mr_get(seL4_VMFault_Addr));
    if (faults == 1) {
        say("resume it");
        return seL4_True;
    }
    *mode = 1;
    say("restart it");
    microkit_pd_restart(child, 0x1234);
    say("back from restart");
    return seL4_False;
}

void notified(microkit_channel ch)
{
    ups++;
    say("notified by channel %u (%U)", ch, ups);
    if (ups == 1) {
        say("notify kid");
        microkit_notify(KID);
    } else if (ups == 2) {
        say("stop kid");
        microkit_pd_stop(KID);
        say("stopped");
        *mode = 2;
        say("restart the stopped kid");
        microkit_pd_restart(KID, 0);
        say("back from restart");
    }
}
