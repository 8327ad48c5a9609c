#include "../common/pd.h"

static seL4_Word count[MICROKIT_MAX_CHANNELS];

void init(void)
{
    say("init");
}

void notified(microkit_channel ch)
{
    count[ch]++;
    if (ch == 5 && count[5] == 1) {
        say("IRQ on channel 5 (%U), not acked", count[5]);
    } else if (ch == 5) {
        say("IRQ on channel 5 (%U), ack", count[5]);
        microkit_irq_ack(5);
    } else if (ch == 6 && count[6] == 1) {
        say("IRQ on channel 6 (%U), ack 5 and 6", count[6]);
        microkit_irq_ack(5);
        microkit_irq_ack(6);
        say("acked");
    } else {
        say("IRQ on channel %u (%U), deferred ack", ch, count[ch]);
        microkit_deferred_irq_ack(ch);
    }
}
