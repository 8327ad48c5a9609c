#include "../common/pd.h"

static const microkit_channel huge[] = { 1000, 65535, 0x7fffffffu, 0xffffffffu };

static void each(void (*f)(microkit_channel), microkit_channel valid)
{
    for (microkit_channel ch = 0; ch < 256; ch++)
        if (ch != valid)
            f(ch);
    for (unsigned i = 0; i < sizeof huge / sizeof huge[0]; i++)
        f(huge[i]);
}

static void notify(microkit_channel ch) { microkit_notify(ch); }
static void irq_ack(microkit_channel ch) { microkit_irq_ack(ch); }
static void call(microkit_channel ch) { (void)microkit_ppcall(ch, microkit_msginfo_new(9, 0)); }

void init(void)
{
    each(notify, 1);
    each(irq_ack, 3);
    each(call, 1);
    seL4_Word sum = 0;
    for (unsigned mr = 120; mr < 256; mr++) {
        microkit_mr_set((seL4_Uint8)mr, 1);
        sum += microkit_mr_get((seL4_Uint8)mr);
    }
    say("sum of the invalid registers read: %U", sum);
    say("valid notify and ppcall");
    microkit_notify(1);
    (void)microkit_ppcall(1, microkit_msginfo_new(7, 0));
    say("done");
}

void notified(microkit_channel ch) { say("notified by channel %u", ch); }
