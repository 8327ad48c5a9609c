/* Prints whether each region_paddr is aligned to its region's page size, the regions are
 * disjoint, in region order, clear of the region with a phys_addr, and in the RAM of
 * qemu_virt_aarch64 as seL4 describes it (0x60000000 to 0xc0000000: the Microkit 2.0.1 SDK's
 * platform_gen.json for the board). */
#include <stdint.h>

#include "../common/pd.h"

uintptr_t small_paddr;
uintptr_t fixed_paddr;
uintptr_t large_paddr;
uintptr_t after_paddr;

static int meets(uintptr_t a, uintptr_t a_size, uintptr_t b, uintptr_t b_size)
{
    return a < b + b_size && b < a + a_size;
}

static int in_ram(uintptr_t pa, uintptr_t size)
{
    return pa >= 0x60000000u && pa + size <= 0xc0000000u;
}

void init(void)
{
    say("small 4 KiB aligned: %s", small_paddr % 0x1000 == 0 ? "yes" : "no");
    say("large 2 MiB aligned: %s", large_paddr % 0x200000 == 0 ? "yes" : "no");
    say("after 4 KiB aligned: %s", after_paddr % 0x1000 == 0 ? "yes" : "no");
    say("in order, disjoint: %s",
        small_paddr + 0x1000 <= large_paddr && large_paddr + 0x200000 <= after_paddr ? "yes" : "no");
    say("fixed at its phys_addr: %s", fixed_paddr == 0x60000000u ? "yes" : "no");
    say("clear of 'fixed': %s",
        !meets(small_paddr, 0x1000, fixed_paddr, 0x2000) && !meets(large_paddr, 0x200000, fixed_paddr, 0x2000) &&
                !meets(after_paddr, 0x3000, fixed_paddr, 0x2000)
            ? "yes"
            : "no");
    say("in the board's RAM: %s",
        in_ram(small_paddr, 0x1000) && in_ram(large_paddr, 0x200000) && in_ram(after_paddr, 0x3000) ? "yes" : "no");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
