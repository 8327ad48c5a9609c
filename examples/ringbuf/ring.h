/* ring.h — a single-producer single-consumer ring in shared memory, as sDDF's queues are built.
 *
 * The producer owns `tail` and the slots it has not published yet; the consumer owns `head`. Both
 * indexes run freely and are reduced modulo RING_SLOTS, so head == tail is empty and
 * tail - head == RING_SLOTS is full. A slot is filled before `tail` is published (release) and read
 * after `tail` is seen (acquire); the same holds for `head` the other way. Notifications carry no
 * data: they only say "look at the ring". To avoid needless signals, a side that wants a signal
 * says so in the shared header (`producer_waiting`), and the other side signals only then. */
#ifndef RINGBUF_RING_H
#define RINGBUF_RING_H

#include <stdint.h>

#include <microkit_dbgfmt.h>

#define RING_SLOTS 16u /* a power of two */
#define ITEMS 100u     /* the producer sends this many items in all */

struct item {
    uint64_t seq;   /* 0, 1, 2, ... */
    uint64_t value; /* item_value(seq) */
};

struct ring {
    uint32_t head;             /* next slot to read: written by the consumer only */
    uint32_t tail;             /* next slot to write: written by the producer only */
    uint32_t producer_waiting; /* the producer found the ring full and wants a signal */
    uint32_t pad;
    struct item slots[RING_SLOTS];
};

/* What the producer puts in item seq, so the consumer can check every item. */
static inline uint64_t item_value(uint64_t seq)
{
    return seq * 0x9e3779b97f4a7c15ull ^ (seq << 17);
}

/* Sequentially consistent: besides release/acquire for the slots, "store my index, then load the
 * other side's flag" (and the reverse) must not be reordered, or a signal could be missed when the
 * two PDs run on different cores. */
static inline uint32_t ring_load(const uint32_t *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }
static inline void ring_store(uint32_t *p, uint32_t v) { __atomic_store_n(p, v, __ATOMIC_SEQ_CST); }

#endif
