#include "../common/pd.h"

static unsigned irqs;

void init(void) { say("up"); }

void notified(microkit_channel ch)
{
    say("IRQ %u on channel %u", ++irqs, ch);
    microkit_irq_ack(ch);
}
