/* producer: puts ITEMS items into the shared ring, as many as fit at a time. When the ring is full
 * it asks the consumer for a signal and waits for it. */
#include <microkit.h>

#include "ring.h"

#define CONSUMER 0 /* channel to the consumer */

uintptr_t ring_vaddr; /* set by the system description (setvar_vaddr) */
static uint64_t next_seq;

/* Fills the ring as far as it goes, then rings the consumer's doorbell. */
static void produce(void)
{
    struct ring *r = (struct ring *)ring_vaddr;
    uint32_t tail = r->tail;
    uint64_t first = next_seq;
    for (;;) {
        while (next_seq < ITEMS && tail - ring_load(&r->head) < RING_SLOTS) {
            struct item *it = &r->slots[tail % RING_SLOTS];
            it->seq = next_seq;
            it->value = item_value(next_seq);
            next_seq++;
            tail++;
            ring_store(&r->tail, tail); /* publish the item */
        }
        if (next_seq == ITEMS)
            break;
        /* Full: ask to be woken when there is room, then look again, so that a consumer that made
         * room just before seeing the request is not missed. */
        ring_store(&r->producer_waiting, 1);
        if (tail - ring_load(&r->head) == RING_SLOTS)
            break;
        ring_store(&r->producer_waiting, 0);
    }
    microkit_dbg_puts("producer: queued items ");
    dbgfmt_put_dec(first);
    microkit_dbg_puts("..");
    dbgfmt_put_dec(next_seq - 1);
    if (next_seq < ITEMS) {
        microkit_dbg_puts(", ring full, waiting\n");
    } else {
        microkit_dbg_puts(", all ");
        dbgfmt_put_dec(ITEMS);
        microkit_dbg_puts(" queued\n");
    }
    microkit_notify(CONSUMER);
}

void init(void)
{
    microkit_dbg_puts("producer: init, ring at its address 0x4000000: ");
    microkit_dbg_puts(ring_vaddr == 0x4000000 ? "yes\n" : "NO\n");
    produce();
}

void notified(microkit_channel ch)
{
    if (ch == CONSUMER && next_seq < ITEMS)
        produce();
}
