/* writer: fills the first 16 words and the last word of the shared region, then notifies. */
#include "common.h"

void init(void)
{
    report_mapping();
    volatile seL4_Word *w = (volatile seL4_Word *)buf;
    for (seL4_Word i = 0; i < 16; i++)
        w[i] = i * i + 7;
    w[buf_size / sizeof(seL4_Word) - 1] = 0xfeed;
    say("wrote words 0..15 and the last one, notifying reader");
    microkit_notify(1);
}

void notified(microkit_channel ch)
{
    say_notified(ch);
}
