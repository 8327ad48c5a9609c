#include "../common/pd.h"

void init(void)
{
    say("breakpoint");
#if defined(__x86_64__) || defined(__i386__)
    __asm__ volatile("int3");
#elif defined(__aarch64__)
    __asm__ volatile("brk #0");
#else
    __builtin_trap();
#endif
    say("still alive");
}

void notified(microkit_channel ch) { (void)ch; }
