/* Runs last (lowest priority): every worker is idle, every notification delivered. */
#include "../common/pd.h"
#include "board.h"

uintptr_t board;
#define B ((volatile struct board *)board)

void init(void)
{
    uint64_t lost = 0, calls = 0, notes = 0;
    for (unsigned k = 0; k < WORKERS; k++) {
        calls += B->calls[k];
        notes += B->sent[k][0] + B->sent[k][1];
        if (k > 0 && B->seen[k][0] != B->sent[k - 1][1]) {
            lost++;
            say("lost: w%U from above (w%U down): sent %U, seen %U", k, k - 1, B->sent[k - 1][1], B->seen[k][0]);
        }
        if (k + 1 < WORKERS && B->seen[k][1] != B->sent[k + 1][0]) {
            lost++;
            say("lost: w%U from below (w%U up): sent %U, seen %U", k, k + 1, B->sent[k + 1][0], B->seen[k][1]);
        }
    }
    say("driver finished: %s", B->driver_done ? "yes" : "NO");
    say("ppcalls: %s", B->rounds > 100 && calls >= B->rounds ? "more than 100, all served" : "TOO FEW");
    say("notifications: %s", notes > 100 ? "more than 100" : "TOO FEW");
    say("channels with a notification never delivered: %U", lost);
    say("errors (corrupted, duplicated): %U", B->errors);
    say("rounds %U, calls %U, notifications %U", B->rounds, calls, notes);
}

void notified(microkit_channel ch) { (void)ch; }
