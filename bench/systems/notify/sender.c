/* sender.c (bench notify) — one-way latency: stamps the time just before each notify on channel 1,
 * the receiver stamps the start of its notified(); one-way = (sum of receiver stamps - sum of
 * sender stamps) / count. Throughput: notifies on channel 3 as fast as it can for the budget.
 * The receiver's sums and counts are fetched with a ppcall on channel 2 and checked. On seL4 (no
 * clock in a PD) only the throughput is measured, by bench.c from the serial lines' times. */
#include "../common/bench_pd.h"

static uint64_t sent_sum, sent;

static void lat_op(void)
{
    uint64_t t = bench_now_ns();
    sent_sum += t;
    sent++;
    microkit_notify(1);
}

static void tput_op(void)
{
    sent++;
    microkit_notify(3);
}

/* The receiver's (sum of stamps, count) since the last fetch. */
static uint64_t fetch(uint64_t *count)
{
    microkit_ppcall(2, microkit_msginfo_new(0, 0));
    *count = seL4_GetMR(1);
    return seL4_GetMR(0);
}

void init(void)
{
    uint64_t count, sum;
    /* One-way latency needs a clock in both PDs: hostkit only. */
    if (bench_has_clock()) {
        /* warm-up, then the timed latency run */
        for (int i = 0; i < 1000; i++)
            lat_op();
        fetch(&count);
        sent_sum = sent = 0;
        uint64_t budget = bench_budget_ns(), start = bench_now_ns();
        while (bench_now_ns() - start < budget)
            for (int i = 0; i < 256; i++)
                lat_op();
        sum = fetch(&count);
        if (count != sent)
            bench_error("notify: the receiver did not see every latency notification");
        bench_report("notify_oneway", (double)(sum - sent_sum) / (double)sent);
    }

    fetch(&count);
    sent = 0;
    bench_measure("notify_tput", tput_op, 1000, BENCH_MILLIONS_PER_S);
    fetch(&count);
    if (count != sent)
        bench_error("notify: the receiver did not see every throughput notification");
}

void notified(microkit_channel ch) { (void)ch; }
