/* busy.h — stays on the CPU for MS milliseconds, entering no kernel (host clock: a test system). */
#ifndef BUSY_H
#define BUSY_H
#include <time.h>
static inline void busy_ms(long ms)
{
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    do
        clock_gettime(CLOCK_MONOTONIC, &b);
    while ((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < ms);
}
#endif
