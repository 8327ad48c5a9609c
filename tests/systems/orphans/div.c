#include "../common/pd.h"

void init(void)
{
    volatile int a = 42, b = 0;
    say("divide by zero");
    a = a / b;
    say("still alive: %u", (unsigned)a);
}

void notified(microkit_channel ch) { (void)ch; }
