/* receiver.c (bench notify) — stamps the start of notified() on channel 1 (adding it to a sum),
 * counts notifications on channels 1 and 3, and hands sum and count to the sender's ppcall. */
#include "../common/bench_pd.h"

static uint64_t sum, count;

void init(void) {}

void notified(microkit_channel ch)
{
    if (ch == 1)
        sum += bench_now_ns();
    count++;
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    (void)msginfo;
    seL4_SetMR(0, sum);
    seL4_SetMR(1, count);
    sum = count = 0;
    return microkit_msginfo_new(0, 2);
}
