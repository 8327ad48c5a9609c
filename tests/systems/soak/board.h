/* board.h — the soak test's shared board (memory region "board", mapped by all 63 PDs). */
#ifndef SOAK_BOARD_H
#define SOAK_BOARD_H

#include <stdint.h>

#define WORKERS 62
struct board {
    uint64_t sent[WORKERS][2];  /* notifications worker j sent: [0] up (to j-1), [1] down (to j+1) */
    uint64_t seen[WORKERS][2];  /* the last sent[] value worker j saw: [0] from above, [1] from below */
    uint64_t calls[WORKERS];    /* ppcalls each worker served */
    uint64_t errors;            /* corrupted, lost or duplicated messages seen by anyone */
    uint64_t rounds;            /* ppcalls the driver made */
    uint64_t driver_done;
};

static inline uint64_t soak_sum(const uint64_t *w, unsigned n)
{
    uint64_t s = 0x811c9dc5u;
    for (unsigned i = 0; i < n; i++)
        s = (s ^ w[i]) * 0x100000001b3ull;
    return s & 0xffffffffu;
}

#endif
