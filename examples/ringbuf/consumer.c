/* consumer: takes items out of the shared ring and checks each one (sequence and value). When it
 * has made room and the producer is waiting, it signals the producer. */
#include <microkit.h>

#include "ring.h"

#define PRODUCER 1 /* channel to the producer */

uintptr_t ring_vaddr; /* set by the system description (setvar_vaddr) */
static uint64_t expected_seq, bad;

static void consume(void)
{
    struct ring *r = (struct ring *)ring_vaddr;
    uint32_t head = r->head;
    uint64_t first = expected_seq, taken = 0;
    while (head != ring_load(&r->tail)) {
        const struct item *it = &r->slots[head % RING_SLOTS];
        if (it->seq != expected_seq || it->value != item_value(expected_seq))
            bad++;
        expected_seq++;
        taken++;
        head++;
        ring_store(&r->head, head); /* hand the slot back */
    }
    microkit_dbg_puts("consumer: took items ");
    dbgfmt_put_dec(first);
    microkit_dbg_puts("..");
    dbgfmt_put_dec(expected_seq - 1);
    microkit_dbg_puts(" (");
    dbgfmt_put_dec(taken);
    microkit_dbg_puts(")\n");
    if (expected_seq == ITEMS) {
        microkit_dbg_puts("consumer: ");
        dbgfmt_put_dec(ITEMS);
        microkit_dbg_puts(bad == 0 ? " items, all in order and intact\n" : " items, some wrong\n");
        microkit_dbg_puts(bad == 0 ? "consumer: TEST_PASS\n" : "consumer: TEST_FAIL\n");
    }
    if (ring_load(&r->producer_waiting)) {
        ring_store(&r->producer_waiting, 0);
        microkit_dbg_puts("consumer: room made, signalling the producer\n");
        microkit_notify(PRODUCER);
    }
}

void init(void)
{
    microkit_dbg_puts("consumer: init, ring at its address 0x6000000: ");
    microkit_dbg_puts(ring_vaddr == 0x6000000 ? "yes\n" : "NO\n");
}

void notified(microkit_channel ch)
{
    if (ch == PRODUCER)
        consume();
}
