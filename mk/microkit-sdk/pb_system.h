/* pb_system.h — what nanopb's pb.h needs from the C library, for PDs built freestanding.
 *
 * nanopb's pb.h includes <string.h> and <limits.h> besides the freestanding headers; a PD built for
 * seL4 has no C library, so builds for the Microkit SDK (mk/microkit-sdk.mk) and the portability
 * check (tests/test_portable.sh) pass -DPB_SYSTEM_HEADER='"pb_system.h"', and pb.h includes this
 * file instead. The functions declared here are defined by hostkit-sdk-runtime.c, which is linked
 * into every PD built for the SDK. */
#ifndef HOSTKIT_PB_SYSTEM_H
#define HOSTKIT_PB_SYSTEM_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif
