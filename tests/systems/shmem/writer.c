#include "../common/pd.h"
#include "shmem.h"

uintptr_t shared;

void init(void)
{
    volatile seL4_Word *w = (volatile seL4_Word *)shared;
    say("init, region at %x", (seL4_Word)shared);
    for (seL4_Word i = 0; i < ANSWER; i++)
        w[i] = pattern(i);
    say("filled %U words, notify reader", (seL4_Word)ANSWER);
    microkit_notify(1);
    say("answer %x", w[ANSWER]);
}

void notified(microkit_channel ch)
{
    say("notified by channel %u", ch);
}
