/* child: gives its parent the address of other_entry, then faults; other_entry reports and
 * faults again. */
#include "out.h"

static seL4_Word starts;

/* Started by the parent's microkit_pd_restart: it never returns (there is nothing to return to). */
static void __attribute__((noinline, noreturn)) other_entry(void)
{
    say_dec("other_entry runs; starts so far:", starts);
    for (;;)
        (void)*(volatile seL4_Word *)0x5000000;
}

void init(void)
{
    starts++;
    say_dec("init, start", starts);
    microkit_mr_set(0, (seL4_Word)&other_entry);
    microkit_ppcall(1, microkit_msginfo_new(0, 1));
    say("faulting");
    (void)*(volatile seL4_Word *)0x5000000;
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
