/* reader: when notified, reads back what the writer stored. */
#include "common.h"

void init(void)
{
    report_mapping();
}

void notified(microkit_channel ch)
{
    say_dec("notified on channel", ch);
    volatile seL4_Word *w = (volatile seL4_Word *)buf;
    seL4_Word sum = 0;
    for (seL4_Word i = 0; i < 16; i++)
        sum += w[i];
    say_dec("sum of words 0..15:", sum);
    out_begin();
    out("word 16: ");
    out_dec(w[16]);
    out(", last word: ");
    out_hex(w[buf_size / sizeof(seL4_Word) - 1]);
    out_end();
}
