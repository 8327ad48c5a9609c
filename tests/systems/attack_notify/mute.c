/* mute: a PD notifying where its system description says it may not (tests/test_attacks_pd.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/pd.h"
#include "../../../src/kernel/kobj.h" /* the scheduler page's layout, as libhostkit has it */

void hk_signal_channel(unsigned ch, bool then_block); /* libhostkit's own, not the API */
extern struct hk_sched *hk_sched;

void init(void)
{
    say("call the runtime's signal function on channel 1");
    hk_signal_channel(1, false);
    /* every writable page it holds but the scheduler's: a notification word is one of them, if it
     * holds any for this channel */
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    unsigned written = 0;
    uintptr_t sched = 0;
    while (f && fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char perms[8];
        if (!strstr(line, "/memfd:hostkit-") || sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3)
            continue;
        if (strstr(line, "/memfd:hostkit-sched")) {
            sched = lo;
            continue;
        }
        if (perms[1] != 'w' || strstr(line, "/memfd:hostkit-ctl-"))
            continue; /* its own control page: breaking it proves nothing here */
        memset((void *)lo, 0x03, hi - lo);
        written++;
    }
    if (f)
        fclose(f);
    say("wrote over %u writable pages of its", written);
    /* the scheduler page: listener's (PD 0's) hint bit for the channel, the half of a
     * notification that says where to look */
    (void)sched;
    atomic_fetch_or(&hk_sched->pd[0].hint, 1ull << 1);
    say("set libmicrokit's mask bit and notify");
    microkit_notifications |= 1ull << 1;
    microkit_notify(1);
    say("done");
}

void notified(microkit_channel ch) { say("notified by channel %u", ch); }
