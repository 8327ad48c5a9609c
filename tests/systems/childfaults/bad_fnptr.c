#include "../common/pd.h"

void init(void)
{
    void (*volatile fn)(void) = (void (*)(void))(uintptr_t)0xdead000;
    say("call through a bad function pointer");
    fn();
    say("still alive");
}

void notified(microkit_channel ch) { (void)ch; }
