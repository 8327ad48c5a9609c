#include "../common/pd.h"

#define BOSS 2
static volatile seL4_Word *const mode = (volatile seL4_Word *)0x4000000;
static seL4_Word data_var = 7; /* .data */
static seL4_Word bss_var;      /* .bss */

void init(void)
{
    say("init: data %U, bss %U, mode %U", data_var, bss_var, *mode);
    data_var++;
    bss_var++;
    if (*mode == 0) {
        static volatile uintptr_t bad = 0x20;
        say("write to 0x20");
        *(volatile seL4_Word *)bad = 1;
        say("still alive");
    }
    say("up, notify boss");
    microkit_notify(BOSS);
    say("back from notify");
}

void notified(microkit_channel ch)
{
    say("notified by channel %u: data %U, bss %U", ch, data_var, bss_var);
    microkit_notify(BOSS);
    say("back from notify");
}
