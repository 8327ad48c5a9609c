/* a.c (bench chain) — times the chain a -> b -> c, msginfo only (bench_measure: "BENCH chain ns"
 * on hostkit). */
#include "../common/bench_pd.h"

static seL4_Word label;
static int bad;

static void call(void)
{
    label = (label + 1) & 0xffff;
    if (microkit_msginfo_get_label(microkit_ppcall(1, microkit_msginfo_new(label, 0))) != label + 2)
        bad = 1;
}

void init(void)
{
    bench_measure("chain", call, 1000, BENCH_NS_PER_OP);
    if (bad)
        bench_error("chain: wrong label in a reply");
}

void notified(microkit_channel ch) { (void)ch; }
