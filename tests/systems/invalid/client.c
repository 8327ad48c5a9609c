#include "../common/pd.h"

static void show(const char *what, microkit_msginfo m)
{
    say("%s returned label %U count %U", what, microkit_msginfo_get_label(m),
        (seL4_Word)microkit_msginfo_get_count(m));
}

void init(void)
{
    say("init");
    microkit_notify(5);          /* no such channel */
    microkit_notify(62);         /* past MICROKIT_MAX_CHANNELS */
    microkit_notify(3);          /* our end has notify="false" */
    microkit_notify(1000);

    microkit_mr_set(0, 0x55);
    show("ppcall 1", microkit_ppcall(1, microkit_msginfo_new(7, 1)));  /* no pp at our end */
    show("ppcall 5", microkit_ppcall(5, microkit_msginfo_new(7, 1)));
    show("ppcall 62", microkit_ppcall(62, microkit_msginfo_new(7, 1)));

    microkit_irq_ack(1);         /* a channel, but not an IRQ */
    microkit_irq_ack(62);
    microkit_deferred_notify(5);
    microkit_deferred_notify(3); /* notify="false" */
    microkit_deferred_notify(70);
    microkit_deferred_irq_ack(2);
    microkit_deferred_irq_ack(61);

    microkit_mr_set(119, 0x119);
    microkit_mr_set(120, 0xbad); /* past the last message register */
    microkit_mr_set(255, 0xbad);

    say("valid notify 1");
    microkit_notify(1);
    say("valid ppcall 2");
    show("ppcall 2", microkit_ppcall(2, microkit_msginfo_new(9, seL4_MsgMaxLength)));
    say("done");
}

void notified(microkit_channel ch)
{
    say("notified by channel %u", ch);
}
