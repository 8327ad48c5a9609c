/* child: executes an undefined instruction from init. */
#include "out.h"

void init(void)
{
    say("init, executing an undefined instruction");
#if defined(__aarch64__)
    __asm__ volatile("udf #0");
#elif defined(__riscv)
    __asm__ volatile(".4byte 0");
#elif defined(__x86_64__)
    __asm__ volatile("ud2");
#else
#error "no undefined instruction for this architecture"
#endif
    say("went on"); /* not reached */
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
