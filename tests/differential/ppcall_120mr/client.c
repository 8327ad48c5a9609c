/* client: sends 120 registers (3i+1) to mid, checks the 120 that come back. */
#include "mrs.h"

void init(void)
{
    for (seL4_Word i = 0; i < 120; i++)
        microkit_mr_set((seL4_Uint8)i, 3 * i + 1);
    say("calling mid with 120 registers");
    microkit_msginfo reply = microkit_ppcall(1, microkit_msginfo_new(7, 120));
    mrs_report("reply", reply);
    seL4_Word bad = 0;
    for (seL4_Word i = 0; i < 120; i++) {
        seL4_Word expected = ((3 * i + 1 + 1000) * 2) ^ i;
        if (microkit_mr_get((seL4_Uint8)i) != expected) {
            if (!bad)
                say_dec("first wrong register", i);
            bad++;
        }
    }
    say_dec("registers not as expected:", bad);
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
