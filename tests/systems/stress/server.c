/* server.c (stress) — for calls.system: checks every register of call i (label i) and replies
 * with label i + 1 and the reply's registers; a call with label 0 returns its counts (calls, intact
 * calls). For notify.system: counts notifications on channel 2 and answers each on channel 3 with
 * one back; the label-0 call also returns those counts. */
#include "../common/pd.h"
#include "stress.h"

static seL4_Word calls, intact, expect = 1, notes[4];

void init(void) {}

void notified(microkit_channel ch)
{
    if (ch < 4)
        notes[ch]++;
    if (ch == 3)
        microkit_notify(3);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    seL4_Word i = microkit_msginfo_get_label(msginfo);
    if (i == 0) {
        seL4_SetMR(0, calls);
        seL4_SetMR(1, intact);
        seL4_SetMR(2, notes[2]);
        seL4_SetMR(3, notes[3]);
        return microkit_msginfo_new(0, 4);
    }
    calls++;
    bool ok = i == expect++ && microkit_msginfo_get_count(msginfo) == stress_call_len(i);
    for (unsigned j = 0; ok && j < stress_call_len(i); j++)
        ok = seL4_GetMR((int)j) == stress_call_mr(i, j);
    intact += ok;
    unsigned n = stress_reply_len(i);
    for (unsigned j = 0; j < n; j++)
        seL4_SetMR((int)j, stress_reply_mr(i, j));
    return microkit_msginfo_new(i + 1, (seL4_Uint16)n);
}
