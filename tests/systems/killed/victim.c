#include <unistd.h>

#include "../common/pd.h"

uintptr_t board;

void init(void)
{
    *(volatile long *)board = (long)getpid();
    say("pid %U", (seL4_Word)getpid());
}

void notified(microkit_channel ch) { say("notified by channel %u", ch); }
