/* Prints whether each region_paddr is aligned to its region's page size and the regions are
 * disjoint, in region order. */
#include <stdint.h>

#include "../common/pd.h"

uintptr_t small_paddr;
uintptr_t large_paddr;
uintptr_t after_paddr;

void init(void)
{
    say("small 4 KiB aligned: %s", small_paddr % 0x1000 == 0 ? "yes" : "no");
    say("large 2 MiB aligned: %s", large_paddr % 0x200000 == 0 ? "yes" : "no");
    say("after 4 KiB aligned: %s", after_paddr % 0x1000 == 0 ? "yes" : "no");
    say("in order, disjoint: %s",
        small_paddr + 0x1000 <= large_paddr && large_paddr + 0x200000 <= after_paddr ? "yes" : "no");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
