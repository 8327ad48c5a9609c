/* test_control_api.c — cmocka tests written as a user of include/hostkit_test.h would write them:
 * examples/ipc and examples/ringbuf started by libhostkit_test and driven from outside over the
 * control channel (ppcalls into the server with the test's own words, notifications, the ring
 * buffer's memory read and written), and the control channel's refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "hostkit_test.h"

#define IPC_SUM 1u
#define IPC_REPLY 0x100u
#define RING_SLOTS 16u
#define ITEMS 100u

/* examples/ipc/protocol.h's ipc_mix(): FNV-1a over words. */
static uint64_t ipc_mix(const uint64_t *w, unsigned n)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (unsigned i = 0; i < n; i++)
        h = (h ^ w[i]) * 0x100000001b3u;
    return h;
}

/* examples/ringbuf/ring.h's item_value(). */
static uint64_t item_value(uint64_t seq) { return seq * 0x9e3779b97f4a7c15ull ^ (seq << 17); }

#define ok(s, call)                                                                                \
    do {                                                                                           \
        if ((call) != 0)                                                                           \
            fail_msg("%s: %s", #call, hostkit_error(s));                                           \
    } while (0)

static struct hostkit_system *started(const char *example)
{
    char path[128];
    snprintf(path, sizeof path, "examples/%s/%s.system", example, example);
    struct hostkit_system *s = hostkit_start(path, NULL);
    assert_non_null(s);
    return s;
}

static void ipc_server_answers_the_tests_calls(void **state)
{
    (void)state;
    struct hostkit_system *s = started("ipc");
    char line[256], st[32];
    int stuck = 1;
    ok(s, hostkit_wait_line(s, "^client: TEST_PASS$", 10, line, sizeof line));
    assert_string_equal(line, "client: TEST_PASS");
    ok(s, hostkit_idle(s, &stuck));
    assert_false(stuck);
    uint64_t words[] = {0x1234, 0xdeadbeefcafe, 42, 0xffffffffffffff00u, 9}, mrs[120];
    struct hostkit_reply reply = {.mrs = mrs, .capacity = 120};
    ok(s, hostkit_ppcall(s, "server", 37, IPC_SUM, words, 5, &reply));
    assert_int_equal(reply.label, IPC_SUM | IPC_REPLY);
    assert_int_equal(reply.count, 2);
    uint64_t sum = 0;
    for (unsigned k = 0; k < 5; k++)
        sum += words[k];
    assert_int_equal(mrs[0], sum);
    assert_int_equal(mrs[1], ipc_mix(words, 5));
    ok(s, hostkit_notify(s, "server", 37));
    ok(s, hostkit_wait_line(s, "unexpected notification", 10, line, sizeof line));
    assert_string_equal(line, "server: unexpected notification on channel 37");
    ok(s, hostkit_idle(s, NULL));
    ok(s, hostkit_state(s, "client", st, sizeof st));
    assert_string_equal(st, "receiving");
    assert_non_null(strstr(hostkit_output(s), "server: replying sum 0xdeadbeefdc65 mix "));
    assert_int_equal(hostkit_stop(s), 0);
}

static void ringbuf_consumer_takes_what_the_test_writes(void **state)
{
    (void)state;
    struct hostkit_system *s = started("ringbuf");
    ok(s, hostkit_wait_line(s, "^consumer: TEST_PASS$", 10, NULL, 0));
    ok(s, hostkit_idle(s, NULL));
    uint32_t hdr[4];
    ok(s, hostkit_read(s, "ring", 0, hdr, sizeof hdr));
    assert_int_equal(hdr[0], ITEMS); /* head */
    assert_int_equal(hdr[1], ITEMS); /* tail */
    for (uint64_t seq = ITEMS; seq < ITEMS + 3; seq++) {
        uint64_t item[2] = {seq, item_value(seq)};
        ok(s, hostkit_write(s, "ring", 16 + (seq % RING_SLOTS) * 16, item, sizeof item));
    }
    uint32_t tail = ITEMS + 3;
    ok(s, hostkit_write(s, "ring", 4, &tail, sizeof tail));
    ok(s, hostkit_notify(s, "consumer", 1));
    char line[128];
    ok(s, hostkit_wait_line(s, "^consumer: took ", 10, line, sizeof line));
    assert_string_equal(line, "consumer: took items 100..102 (3)");
    ok(s, hostkit_idle(s, NULL));
    ok(s, hostkit_read(s, "ring", 0, hdr, sizeof hdr));
    assert_int_equal(hdr[0], ITEMS + 3);
    assert_int_equal(hostkit_stop(s), 0);
}

static void refusals_say_why(void **state)
{
    (void)state;
    struct hostkit_system *s = started("ipc");
    assert_int_equal(hostkit_ppcall(s, "client", 13, 1, NULL, 0, NULL), -1);
    assert_non_null(strstr(hostkit_error(s), "may not ppcall it (no pp=\"true\")"));
    assert_int_equal(hostkit_read(s, "nothing", 0, NULL, 0), -1);
    assert_non_null(strstr(hostkit_error(s), "no memory region named 'nothing'"));
    assert_int_equal(hostkit_wait_line(s, "NEVER PRINTED", 0.2, NULL, 0), -1);
    assert_non_null(strstr(hostkit_error(s), "timeout: no output line matched in 0.2 s"));
    assert_int_equal(hostkit_irq(s, "33"), -1);
    assert_non_null(strstr(hostkit_error(s), "no <irq> in the system matches it"));
    assert_int_equal(hostkit_stop(s), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ipc_server_answers_the_tests_calls),
        cmocka_unit_test(ringbuf_consumer_takes_what_the_test_writes),
        cmocka_unit_test(refusals_say_why),
    };
    return cmocka_run_group_tests_name("control_api", tests, NULL, NULL);
}
