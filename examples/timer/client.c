/* Asks for timeouts of 30, 10 and 20 ms, and checks that each notification comes no earlier than
 * the timeout it answers: the driver notifies in deadline order, so 10, 20, then 30 ms. On a slow
 * host one notification may find two timeouts passed; each is still printed once, in order. */
#include <microkit.h>
#include <stdbool.h>
#include <stdint.h>

#include "timer_protocol.h"

#define TIMER_CH 1

static uint64_t start;
static int fired;
static bool passed;
static const uint64_t expect_ms[] = {10, 20, 30};

static uint64_t now(void)
{
    microkit_ppcall(TIMER_CH, microkit_msginfo_new(TIMER_NOW, 0));
    return microkit_mr_get(0);
}

static void after(uint64_t ms)
{
    microkit_mr_set(0, ms);
    if (microkit_msginfo_get_label(microkit_ppcall(TIMER_CH, microkit_msginfo_new(TIMER_AFTER, 1))) != TIMER_OK)
        microkit_dbg_puts("client: timer refused a timeout\n");
}

void init(void)
{
    start = now();
    after(30);
    after(10);
    after(20);
    microkit_dbg_puts("client: asked for 30, 10 and 20 ms\n");
}

void notified(microkit_channel ch)
{
    if (ch != TIMER_CH)
        return;
    uint64_t elapsed_ms = (now() - start) / 1000000u;
    while (fired < 3 && elapsed_ms >= expect_ms[fired]) {
        microkit_dbg_puts("client: ");
        microkit_dbg_put32((seL4_Uint32)expect_ms[fired]);
        microkit_dbg_puts(" ms timeout fired, not early\n");
        fired++;
    }
    /* A later notification (a timeout already counted because time had passed it) changes nothing. */
    if (fired == 3 && !passed) {
        passed = true;
        microkit_dbg_puts("client: TEST_PASS\n");
    }
}
