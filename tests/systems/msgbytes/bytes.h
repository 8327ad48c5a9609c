#ifndef BYTES_H
#define BYTES_H
#include <stddef.h>

#include <microkit_msgbytes.h>

#include "../common/pd.h"

/* Byte i of a message of n bytes, going out (dir 0) or coming back (dir 1). */
static inline unsigned char byte_at(size_t n, size_t i, int dir)
{
    return (unsigned char)((i * 7 + n * 13 + (size_t)dir * 101) & 0xff);
}
#endif
