/* The layout both PDs agree on: WORDS words the writer fills with pattern(i); the reader answers
 * in the last word. */
#include <microkit.h>

#define WORDS (0x2000 / sizeof(seL4_Word))
#define ANSWER (WORDS - 1)

static inline seL4_Word pattern(seL4_Word i)
{
    return (i + 1) * 0x0101010101010101ull ^ i << 40;
}
