/* counter: a passive server keeping one counter per client. It has no time of its own: after init
 * it runs only when a client's ppcall lends it the caller's time. */
#include <microkit.h>
#include <microkit_dbgfmt.h>

#include "protocol.h"

#define ALICE_CHANNEL 1
#define BOB_CHANNEL 2

static seL4_Word counters[MICROKIT_MAX_CHANNELS];
static seL4_Word calls;

static const char *client_name(microkit_channel ch)
{
    return ch == ALICE_CHANNEL ? "alice" : ch == BOB_CHANNEL ? "bob" : "?";
}

void init(void)
{
    microkit_dbg_puts("counter: init, now passive\n");
}

void notified(microkit_channel ch)
{
    (void)ch; /* nobody notifies the counter */
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    calls++;
    switch (microkit_msginfo_get_label(msginfo)) {
    case COUNTER_ADD: {
        seL4_Word amount = microkit_mr_get(0);
        counters[ch] += amount;
        microkit_dbg_puts("counter: ");
        microkit_dbg_puts(client_name(ch));
        microkit_dbg_puts(" adds ");
        dbgfmt_put_dec(amount);
        microkit_dbg_puts(", its counter is ");
        dbgfmt_put_dec(counters[ch]);
        microkit_dbg_puts("\n");
        microkit_mr_set(0, counters[ch]);
        return microkit_msginfo_new(COUNTER_ADD, 1);
    }
    case COUNTER_TOTAL: {
        seL4_Word total = 0;
        for (int i = 0; i < MICROKIT_MAX_CHANNELS; i++)
            total += counters[i];
        microkit_dbg_puts("counter: ");
        microkit_dbg_puts(client_name(ch));
        microkit_dbg_puts(" asks for the total\n");
        microkit_mr_set(0, total);
        microkit_mr_set(1, calls);
        return microkit_msginfo_new(COUNTER_TOTAL, 2);
    }
    default:
        return microkit_msginfo_new(COUNTER_ERROR, 0);
    }
}
