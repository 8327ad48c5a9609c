#include "../common/pd.h"

/* The division must reach the CPU's trap: under SANITIZE=1, UBSan would stop it first. */
__attribute__((no_sanitize("integer-divide-by-zero"))) void init(void)
{
    volatile int a = 42, b = 0;
    say("divide by zero");
    a = a / b;
    say("still alive: %u", (unsigned)a);
}

void notified(microkit_channel ch) { (void)ch; }
