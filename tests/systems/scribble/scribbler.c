/* Finds every shared mapping hostkit gave it (memfds named hostkit-*) in /proc/self/maps, says
 * which, and fills the writable ones with pseudo-random garbage: all of them when the PD is called
 * "scribbler_all", all but the scheduler page (hostkit-sched) otherwise. (Its configuration is
 * read-only; garbage on its control page may restart it: then it only says so.) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/pd.h"

static uint64_t rnd = 0x9e3779b97f4a7c15ull;
static uint64_t next(void)
{
    rnd ^= rnd << 13;
    rnd ^= rnd >> 7;
    rnd ^= rnd << 17;
    return rnd;
}

static unsigned lives; /* a restart keeps the process, and this */

void init(void)
{
    if (lives++) { /* its control page told it to start again: once is enough */
        say("started again");
        return;
    }
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    struct { uintptr_t lo, hi; char name[64]; bool w; } m[32];
    int n = 0;
    while (f && fgets(line, sizeof line, f) && n < 32) {
        char *name = strstr(line, "/memfd:hostkit-");
        if (!name)
            continue;
        unsigned long lo, hi;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3)
            continue;
        m[n].lo = lo, m[n].hi = hi, m[n].w = perms[1] == 'w';
        sscanf(name + 7, "%63[^ \n]", m[n].name);
        n++;
    }
    if (f)
        fclose(f);
    /* report in name order, so the transcript does not depend on addresses */
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (strcmp(m[j].name, m[i].name) < 0) {
                __typeof__(m[0]) t = m[i];
                m[i] = m[j];
                m[j] = t;
            }
    for (int i = 0; i < n; i++)
        say("can reach %s (%s)", m[i].name, m[i].w ? "writable" : "read-only");
    bool all = !strcmp(microkit_name, "scribbler_all");
    say("scribbling%s", all ? " on all of them" : " on all but hostkit-sched");
    for (int i = 0; i < n; i++)
        if (m[i].w && (all || strcmp(m[i].name, "hostkit-sched")))
            for (uint64_t *p = (uint64_t *)m[i].lo; p < (uint64_t *)m[i].hi; p++)
                *p = next();
    say("scribbled");
    microkit_notify(1);
    say("done");
}

void notified(microkit_channel ch) { say("notified by channel %u", ch); }
