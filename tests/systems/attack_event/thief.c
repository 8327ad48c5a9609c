/* thief: reads the event fd it holds, for three seconds (tests/test_attacks_pd.c). */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/pd.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

void init(void)
{
    int ev = -1;
    for (int fd = 3; fd < 64 && ev < 0; fd++) {
        char link[64], target[64];
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t k = readlink(link, target, sizeof target - 1);
        if (k > 0 && (target[k] = 0, !strcmp(target, "anon_inode:[eventfd]")))
            ev = fd;
    }
    say("holds an event fd: %s", ev >= 0 ? "yes" : "no");
    unsigned long taken = 0;
    for (double end = now() + 3; now() < end;) {
        uint64_t v;
        if (ev >= 0 && read(ev, &v, sizeof v) == sizeof v)
            taken += v;
    }
    say("took %U events", (seL4_Word)taken);
}

void notified(microkit_channel ch) { say("notified by channel %u", ch); }
