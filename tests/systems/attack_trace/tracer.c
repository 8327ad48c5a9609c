/* tracer: a PD writing trace events no runtime writes, through libhostkit's own trace function
 * (tests/test_attacks_pd.c): channel numbers far past any array, and types that do not exist. */
#include "../common/pd.h"

void hk_trace_slow(uint32_t type, uint32_t ch, seL4_Word info); /* libhostkit's own, not the API */

void init(void)
{
    static const uint32_t huge[] = {62, 63, 64, 1000, 65535, 0x7fffffffu, 0xfffffff0u, 0xffffffffu};
    for (uint32_t type = 0; type <= 12; type++)
        for (unsigned k = 0; k < sizeof huge / sizeof *huge; k++)
            hk_trace_slow(type, huge[k], 0x1234);
    say("wrote %u events of its own", 13u * (unsigned)(sizeof huge / sizeof *huge));
    microkit_msginfo r = microkit_ppcall(1, microkit_msginfo_new(7, 0));
    say("ppcall: label %U", (seL4_Word)microkit_msginfo_get_label(r));
}

void notified(microkit_channel ch) { say("notified by channel %u", ch); }
