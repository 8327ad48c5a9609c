/* test_stress.c — volume without timing: 100,000 ppcalls (0..120 message registers, every register
 * checked on both sides) and 100,000 notifications plus 100,000 rounds of notification ping-pong
 * (every one delivered, none coalesced) must all complete intact. Systems: tests/systems/stress/.
 * No time is asserted (benchmarks live in bench/); only the run's safety limit applies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>

#include "testutil.h"

/* Runs tests/systems/stress/NAME.system with the stress images and checks its whole output. */
static void expect_stress(const char *name, const char *transcript)
{
    char search[1024], sys[256];
    snprintf(search, sizeof search, "%s/tests/systems/stress", build_dir());
    snprintf(sys, sizeof sys, "tests/systems/stress/%s.system", name);
    struct run_result r;
    run_hostkit(&r, "--search-path", search, sys, NULL);
    assert_exit(&r, 0);
    assert_text_equal(sys, transcript, r.out);
    run_result_free(&r);
}

static void hundred_thousand_ppcalls_arrive_intact(void **state)
{
    (void)state;
    expect_stress("calls", "client: calls 100000, bad replies 0\n"
                           "client: server: calls received 100000, intact 100000\n");
}

static void hundred_thousand_notifications_each_delivered(void **state)
{
    (void)state;
    expect_stress("notify", "client: burst: sent 100000, server received 100000\n"
                            "client: ping-pong: sent 100000, server received 100000\n"
                            "client: pongs received 100000\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hundred_thousand_ppcalls_arrive_intact),
        cmocka_unit_test(hundred_thousand_notifications_each_delivered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
