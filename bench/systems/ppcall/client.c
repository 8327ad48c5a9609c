/* client.c (bench ppcall) — times ppcall round trips to the server with 0, 4 and 120 message
 * registers (bench_measure: "BENCH ppcallN ns-per-round-trip" on hostkit) and checks the
 * echoed registers. */
#include "../common/bench_pd.h"

static unsigned nmr;
static seL4_Word seq;
static int bad;

static void call(void)
{
    seq++;
    for (unsigned i = 0; i < nmr; i++)
        seL4_SetMR((int)i, seq + i);
    microkit_msginfo r = microkit_ppcall(1, microkit_msginfo_new(7, nmr));
    if (microkit_msginfo_get_label(r) != 8 || microkit_msginfo_get_count(r) != nmr ||
        (nmr && (seL4_GetMR(0) != seq + 1 || seL4_GetMR((int)nmr - 1) != seq + nmr)))
        bad = 1;
}

void init(void)
{
    static const unsigned sizes[] = {0, 4, 120};
    static const char *const keys[] = {"ppcall0", "ppcall4", "ppcall120"};
    for (unsigned k = 0; k < 3; k++) {
        nmr = sizes[k];
        bench_measure(keys[k], call, 1000, BENCH_NS_PER_OP);
    }
    if (bad)
        bench_error("ppcall: a reply did not carry what the server sent");
}

void notified(microkit_channel ch) { (void)ch; }
