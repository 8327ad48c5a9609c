/* notify_client.c (stress) — 100,000 notifications to the higher-priority server (each delivered
 * at once, so none may coalesce), then 100,000 rounds of notification ping-pong; the server's
 * counts, fetched by ppcall, must match exactly. */
#include "../common/pd.h"
#include "stress.h"

static seL4_Word pongs;

/* The server's counters: MR 2 notifications on channel 2, MR 3 on channel 3. */
static void report(const char *what, seL4_Word sent, int mr)
{
    microkit_ppcall(1, microkit_msginfo_new(0, 0));
    say("%s: sent %U, server received %U", what, sent, seL4_GetMR(mr));
}

void init(void)
{
    for (seL4_Word i = 0; i < STRESS_N; i++)
        microkit_notify(2);
    report("burst", STRESS_N, 2);
    microkit_notify(3); /* first ping; the server answers each on channel 3 */
}

void notified(microkit_channel ch)
{
    if (ch != 3) {
        say("unexpected notification on channel %u", ch);
        return;
    }
    if (++pongs < STRESS_N) {
        microkit_notify(3);
        return;
    }
    report("ping-pong", pongs, 3);
    say("pongs received %U", pongs);
}
