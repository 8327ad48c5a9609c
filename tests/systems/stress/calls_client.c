/* calls_client.c (stress) — 100,000 ppcalls with 0..120 message registers, every register of
 * every reply checked; prints how many calls were made and how many replies were wrong. */
#include "../common/pd.h"
#include "stress.h"

void init(void)
{
    seL4_Word bad = 0;
    for (seL4_Word i = 1; i <= STRESS_N; i++) {
        unsigned n = stress_call_len(i);
        for (unsigned j = 0; j < n; j++)
            seL4_SetMR((int)j, stress_call_mr(i, j));
        microkit_msginfo r = microkit_ppcall(1, microkit_msginfo_new(i, (seL4_Uint16)n));
        bool ok = microkit_msginfo_get_label(r) == i + 1 && microkit_msginfo_get_count(r) == stress_reply_len(i);
        for (unsigned j = 0; ok && j < stress_reply_len(i); j++)
            ok = seL4_GetMR((int)j) == stress_reply_mr(i, j);
        if (!ok && bad++ < 5)
            say("bad reply to call %U", i);
    }
    say("calls %U, bad replies %U", (seL4_Word)STRESS_N, bad);
    /* label 0: ask the server how many calls it found intact */
    microkit_msginfo r = microkit_ppcall(1, microkit_msginfo_new(0, 0));
    say("server: calls received %U, intact %U", seL4_GetMR(0), seL4_GetMR(1));
    (void)r;
}

void notified(microkit_channel ch)
{
    say("unexpected notification on channel %u", ch);
}
