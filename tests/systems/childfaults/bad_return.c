/* init smashes its own saved return address, as a stack overflow would: when it returns, it
 * returns into nonsense (0xbad000, unmapped). Needs the frame record that __builtin_frame_address
 * gives: saved frame pointer, then the return address (x86-64 and AArch64 alike). */
#include "../common/pd.h"

__attribute__((noinline)) void init(void)
{
    void *volatile *frame = __builtin_frame_address(0);
    say("smash my return address and return");
    frame[1] = (void *)(uintptr_t)0xbad000;
}

void notified(microkit_channel ch) { (void)ch; }
