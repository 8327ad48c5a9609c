/* A soak worker: wJ. Channel 0 goes up (to wJ-1, higher priority, which it may ppcall), channel 1
 * down (to wJ+1, which may ppcall it). The lowest, w61, drives the soak from its init. */
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "../common/pd.h"
#include "board.h"

uintptr_t board;
#define B ((volatile struct board *)board)
static unsigned me;
static uint64_t rnd;

static uint64_t next(void)
{
    rnd ^= rnd << 13;
    rnd ^= rnd >> 7;
    rnd ^= rnd << 17;
    return rnd;
}

static void error(const char *what, seL4_Word a, seL4_Word b)
{
    B->errors++;
    if (B->errors <= 10)
        say("ERROR: %s (%x, %x)", what, a, b);
}

static void notify(unsigned dir)
{
    B->sent[me][dir]++;
    microkit_notify(dir);
}

void notified(microkit_channel ch)
{
    if (ch > 1 || (ch == 0 && me == 0) || (ch == 1 && me == WORKERS - 1)) {
        error("notified on a channel that does not exist", ch, 0);
        return;
    }
    /* from above (ch 0): what wJ-1 sent down; from below (ch 1): what wJ+1 sent up */
    uint64_t s = ch == 0 ? B->sent[me - 1][1] : B->sent[me + 1][0];
    if (s <= B->seen[me][ch])
        error("notified without a new notification", s, B->seen[me][ch]);
    B->seen[me][ch] = s;
}

/* label: bits 0..7 hops still to go, bits 8..39 checksum of the words */
static microkit_msginfo msg(unsigned hops, unsigned n)
{
    return microkit_msginfo_new((soak_sum(seL4_GetIPCBuffer()->msg, n) << 8) | hops, (seL4_Uint16)n);
}

static bool check(microkit_msginfo m, const char *what)
{
    unsigned n = (unsigned)microkit_msginfo_get_count(m);
    uint64_t want = microkit_msginfo_get_label(m) >> 8;
    if (soak_sum(seL4_GetIPCBuffer()->msg, n) != want) {
        error(what, want, soak_sum(seL4_GetIPCBuffer()->msg, n));
        return false;
    }
    return true;
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo m)
{
    unsigned n = (unsigned)microkit_msginfo_get_count(m), hops = microkit_msginfo_get_label(m) & 0xff;
    B->calls[me]++;
    if (ch != 1 || !check(m, "corrupted call"))
        return microkit_msginfo_new(0, 0);
    if (hops > 1 && me > 0) {
        microkit_msginfo r = microkit_ppcall(0, msg(hops - 1, n));
        if (!check(r, "corrupted reply from above") || microkit_msginfo_get_count(r) != n)
            return microkit_msginfo_new(0, 0);
    }
    for (unsigned i = 0; i < n; i++)
        seL4_GetIPCBuffer()->msg[i]++;
    if (me > 0)
        notify(0);
    notify(1);
    return msg(hops, n);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void drive(void)
{
    const char *env = getenv("HOSTKIT_SOAK_SECONDS");
    double secs = env ? strtod(env, NULL) : 2;
    say("soak for %U s", (seL4_Word)secs);
    rnd = 0x2545f4914f6cdd1dull ^ (uint64_t)getpid();
    double start = now();
    bool warmed = false;
    uint64_t words[120];
    for (uint64_t round = 0;; round++) {
        double t = now() - start;
        if (t >= secs)
            break;
        if (!warmed && t >= secs / 10) { /* the test samples the memory of all from here */
            warmed = true;
            say("warmed up");
        }
        unsigned hops = 1 + (unsigned)(next() % (WORKERS - 1)), n = (unsigned)(next() % 121);
        for (unsigned i = 0; i < n; i++)
            seL4_GetIPCBuffer()->msg[i] = words[i] = next();
        microkit_msginfo r = microkit_ppcall(0, msg(hops, n));
        B->rounds++;
        if (!check(r, "corrupted reply") || microkit_msginfo_get_count(r) != n ||
            (microkit_msginfo_get_label(r) & 0xff) != hops)
            continue;
        for (unsigned i = 0; i < n; i++)
            if (seL4_GetIPCBuffer()->msg[i] != words[i] + hops) {
                error("reply words are not the request's plus one per hop", words[i], seL4_GetIPCBuffer()->msg[i]);
                break;
            }
    }
    B->driver_done = 1;
    say("done");
}

void init(void)
{
    me = (unsigned)strtoul(microkit_name + 1, NULL, 10);
    if (me == WORKERS - 1)
        drive();
}
