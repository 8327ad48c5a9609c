/* test_runtime.c — the runtime's behaviour, end to end: each test runs `hostkit run` on a system
 * (the IPC example or one of tests/systems/SYS) and checks its whole transcript and exit status.
 * Transcripts are exact: under single-core strict-priority scheduling the output of a system is
 * deterministic, and it is what seL4 prints for the same system. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "testutil.h"

/* Runs SYS (extra hostkit options before the NULL) and checks exit status and exact stdout. */
#define expect_system(sys, code, transcript, ...)                     \
    do {                                                              \
        struct run_result r_;                                         \
        run_system(&r_, (sys), ##__VA_ARGS__, NULL);                  \
        assert_exit(&r_, (code));                                     \
        assert_text_equal("stdout of " sys, (transcript), r_.out);   \
        run_result_free(&r_);                                         \
    } while (0)

/* ---- the IPC example ---- */

static void ipc_example_matches_expected_transcript(void **state)
{
    (void)state;
    char *expected = read_file("examples/ipc/expected.txt", NULL);
    struct run_result r;
    /* No --search-path: the images are found beside the .system file. */
    run_hostkit(&r, "examples/ipc/ipc.system", NULL);
    assert_exit(&r, 0);
    assert_text_equal("stdout of examples/ipc/ipc.system", expected, r.out);
    assert_true(has_line(r.out, "client: TEST_PASS"));
    run_result_free(&r);
    free(expected);
}

static void ipc_example_until_stops_at_first_match(void **state)
{
    (void)state;
    struct run_result r;
    run_hostkit(&r, "--until", "^client: notified by", "--timeout", "30", "examples/ipc/ipc.system", NULL);
    assert_exit(&r, 0);
    assert_text_equal("stdout of ipc.system --until", "server: initializing\n"
                                                      "server: notifying client\n"
                                                      "client: initializing\n"
                                                      "client: notified by channel 13\n",
                      r.out);
    run_result_free(&r);
}

/* ---- scheduling ---- */

static void init_runs_in_priority_order(void **state)
{
    (void)state;
    expect_system("init_order", 0,
                  "bravo: init\n"
                  "delta: init\n"
                  "charlie: init\n"
                  "alpha: init\n");
}

static void search_paths_are_tried_in_order(void **state)
{
    (void)state;
    /* A search path without the images first, then the right one. */
    expect_system("init_order", 0,
                  "bravo: init\n"
                  "delta: init\n"
                  "charlie: init\n"
                  "alpha: init\n",
                  "--search-path", "tests/systems");
}

/* A PD preempted inside protected() waits until it is handed the CPU again, even while the
 * call it serves still says on its page that the CPU was handed over with it (hostkit once woke
 * it early from that flag, to run beside the PD that preempted it: a lost notification in the
 * soak). On one core nothing spins, and this holds trivially. */
static void preempted_server_waits_for_the_preempting_handler(void **state)
{
    (void)state;
    expect_system("stalewatch", 0,
                  "client: call 1\n"
                  "client: call 2\n"
                  "server: notify high\n"
                  "high: notified by channel 1\n"
                  "high: done\n"
                  "server: back\n"
                  "client: done\n");
}

static void notify_higher_runs_at_once_lower_waits(void **state)
{
    (void)state;
    expect_system("notify_prio", 0,
                  "high: init\n"
                  "mid: init\n"
                  "mid: notify high\n"
                  "high: notified by channel 2\n" /* preempts mid inside microkit_notify */
                  "high: notify low\n"
                  "high: back from notify low\n" /* low is lower: not run */
                  "mid: back from notify high\n" /* mid (100) still above low (50) */
                  "mid: notify low\n"
                  "mid: back from notify low\n"
                  "low: init\n" /* only now is low the highest runnable */
                  "low: notified by channel 4\n"
                  "low: notify high\n"
                  "high: notified by channel 5\n" /* preempts low inside its handler */
                  "low: back from notify high\n"
                  "low: notified by channel 6\n");
}

static void equal_priority_pds_woken_by_a_higher_one_run_last_woken_first(void **state)
{
    (void)state;
    expect_system("wake_order", 0,
                  "high: init\n"
                  "trigger: notify high\n"
                  "high: notified by channel 3: notify x, then y\n"
                  "y: notified by channel 1\n" /* seL4 enqueues each woken thread at the head */
                  "x: notified by channel 1\n"
                  "trigger: done\n");
}

/* ---- notifications ---- */

static void notifications_coalesce(void **state)
{
    (void)state;
    expect_system("coalesce", 0,
                  "sender: init\n"
                  "sender: notify x3\n"
                  "sender: done\n"
                  "receiver: init\n"
                  "receiver: notified by channel 1 (call 1)\n" /* three signals, one call */
                  "receiver: notify sender\n"
                  "sender: notified by channel 1, notify x2\n"
                  "sender: done\n"
                  "receiver: back from notify sender\n"
                  "receiver: notified by channel 1 (call 2)\n"); /* two more, one more call */
}

static void pending_channels_delivered_in_ascending_order(void **state)
{
    (void)state;
    expect_system("ascending", 0,
                  "sender: init\n"
                  "sender: done\n"
                  "receiver: init\n"
                  "receiver: notified by channel 0\n"
                  "receiver: notified by channel 2\n"
                  "receiver: notified by channel 9\n"
                  "receiver: notified by channel 61\n");
}

static void deferred_notify_goes_out_when_the_handler_returns(void **state)
{
    (void)state;
    expect_system("deferred", 0,
                  "high: init\n"
                  "server: init\n"
                  "low: init: deferred notify high\n"
                  "low: half a line, server: ppcall on channel 2\n" /* a byte stream, as on seL4 */
                  "the other half\n"
                  "low: init end\n"
                  "high: notified by channel 1 (1)\n" /* only once init has returned */
                  "low: notified by channel 1: deferred notify high\n"
                  "low: handler end\n"
                  "high: notified by channel 1 (2)\n"
                  "low: notified by channel 1: deferred notify high\n"
                  "low: handler end\n"
                  "high: notified by channel 1 (3)\n");
}

/* ---- protected procedure calls ---- */

static void ppcall_chain_keeps_all_message_registers(void **state)
{
    (void)state;
    expect_system("ppchain", 0,
                  "c: init\n"
                  "b: init\n"
                  "a: init\n"
                  "a: ppcall b\n"
                  "b: ppcall on channel 2\n"
                  "b: from a: label 0xa1, count 120\n"
                  "b: from a: all 120 MRs intact\n"
                  "b: ppcall c\n"
                  "c: ppcall on channel 4\n"
                  "c: from b: label 0xb2, count 120\n"
                  "c: from b: all 120 MRs intact\n"
                  "c: reply to b\n"
                  "b: reply from c: label 0xc3, count 120\n"
                  "b: reply from c: all 120 MRs intact\n"
                  "b: reply to a\n"
                  "a: reply from b: label 0xb4, count 120\n"
                  "a: reply from b: all 120 MRs intact\n");
}

static void msginfo_label_and_count_round_trip(void **state)
{
    (void)state;
    expect_system("msginfo", 0,
                  "echo: init\n"
                  "client: ppcall label 0x0 count 0\n"
                  "echo: channel 61: label 0x0 count 0, MRs ok\n"
                  "client: reply label 0xfffffffffffff count 120: ok\n"
                  "client: ppcall label 0x1 count 1\n"
                  "echo: channel 61: label 0x1 count 1, MRs ok\n"
                  "client: reply label 0xffffffffffffe count 119: ok\n"
                  "client: ppcall label 0xfffffffffffff count 120\n"
                  "echo: channel 61: label 0xfffffffffffff count 120, MRs ok\n"
                  "client: reply label 0x0 count 0: ok\n"
                  "client: ppcall label 0x123456789abcd count 0\n"
                  "echo: channel 61: label 0x123456789abcd count 0, MRs ok\n"
                  "client: reply label 0xedcba98765432 count 120: ok\n"
                  "client: ppcall label 0x8000000000000 count 119\n"
                  "echo: channel 61: label 0x8000000000000 count 119, MRs ok\n"
                  "client: reply label 0x7ffffffffffff count 1: ok\n"
                  "client: ppcall label 0x2a count 120\n"
                  "echo: channel 61: label 0x2a count 120, MRs ok\n"
                  "client: reply label 0xfffffffffffd5 count 0: ok\n");
}

static void msginfo_count_past_120_is_clamped(void **state)
{
    (void)state;
    /* seL4's kernel reads a msginfo with messageInfoFromWord(), which clamps the length to
     * seL4_MsgMaxLength: the callee sees 120, and so does the caller for the reply. */
    expect_system("overlong", 0,
                  "echo: init\n"
                  "client: ppcall label 0x77 count 127\n"
                  "echo: channel 1: label 0x77 count 120, MRs ok\n"
                  "client: reply label 0x78 count 120, MRs ok\n");
}

static void reply_resumes_caller_before_equal_priority_pd(void **state)
{
    (void)state;
    expect_system("reply_order", 0,
                  "server: init\n"
                  "trigger: notify client\n"
                  "client: notified by channel 3, ppcall server\n"
                  "server: ppcall on channel 1: notify other, reply\n"
                  "client: back from ppcall\n" /* the caller first: seL4 switches to it directly */
                  "other: notified by channel 2\n"
                  "trigger: done\n");
}

/* ---- the byte view over the message registers (include/microkit_msgbytes.h) ---- */

static void msg_bytes_view_is_bounds_checked_and_carries_bytes(void **state)
{
    (void)state;
    expect_system("msgbytes", 0,
                  "checker: init\n"
                  "sender: view(0, 960): valid, 960 bytes\n"
                  "sender: view(0, 961): invalid\n"
                  "sender: view(119, 8): valid, 8 bytes\n"
                  "sender: view(119, 9): invalid\n"
                  "sender: view(120, 0): valid, 0 bytes\n"
                  "sender: view(121, 0): invalid\n"
                  "sender: view(18446744073709551615, 1): invalid\n"
                  "sender: write 4 at 0: yes, 4 at 1: no, 2 at -1: no, 0 at 4: yes; read 4 at 0: yes, 3 at 2: no\n"
                  "sender: bytes 1 2 3 4, MR119 upper half 0x0\n" /* the refused writes wrote nothing */
                  "sender: with_msg_bytes out of range: -1, in range: 7, f called 1 time(s)\n"
                  "sender: words for 0, 1, 8, 9 bytes: 0 1 1 2\n"
                  "checker: 1 bytes in 2 words: ok\n"
                  "sender: 1 bytes there and back: ok\n"
                  "checker: 7 bytes in 2 words: ok\n"
                  "sender: 7 bytes there and back: ok\n"
                  "checker: 8 bytes in 2 words: ok\n"
                  "sender: 8 bytes there and back: ok\n"
                  "checker: 9 bytes in 3 words: ok\n"
                  "sender: 9 bytes there and back: ok\n"
                  "checker: 100 bytes in 14 words: ok\n"
                  "sender: 100 bytes there and back: ok\n"
                  "checker: 952 bytes in 120 words: ok\n"
                  "sender: 952 bytes there and back: ok\n");
}

/* ---- invalid use of the API ---- */

static void invalid_channels_print_diagnostics_and_send_nothing(void **state)
{
    (void)state;
    /* server would print any notification or call that got through; only the valid ones do. */
    expect_system("invalid", 0,
                  "server: init\n"
                  "server microkit_ppcall: invalid channel given '2'\n" /* the channel's pp end is client's */
                  "server: ppcall 2 returned label 0 count 0\n"
                  "client: init\n"
                  "client microkit_notify: invalid channel given '5'\n"
                  "client microkit_notify: invalid channel given '62'\n"
                  "client microkit_notify: invalid channel given '3'\n"
                  "client microkit_notify: invalid channel given '1000'\n"
                  "client microkit_ppcall: invalid channel given '1'\n"
                  "client: ppcall 1 returned label 0 count 0\n"
                  "client microkit_ppcall: invalid channel given '5'\n"
                  "client: ppcall 5 returned label 0 count 0\n"
                  "client microkit_ppcall: invalid channel given '62'\n"
                  "client: ppcall 62 returned label 0 count 0\n"
                  "client microkit_irq_ack: invalid channel given '1'\n"
                  "client microkit_irq_ack: invalid channel given '62'\n"
                  "client microkit_deferred_notify: invalid channel given '5'\n"
                  "client microkit_deferred_notify: invalid channel given '3'\n"
                  "client microkit_deferred_notify: invalid channel given '70'\n"
                  "client microkit_deferred_irq_ack: invalid channel given '2'\n"
                  "client microkit_deferred_irq_ack: invalid channel given '61'\n"
                  "client microkit_mr_set: invalid message register '120'\n"
                  "client microkit_mr_set: invalid message register '255'\n"
                  "client: valid notify 1\n"
                  "server: notified by channel 1\n"
                  "client: valid ppcall 2\n"
                  "server: ppcall on channel 2: label 9 count 120, MR119 0x119\n"
                  "client: ppcall 2 returned label 10 count 0\n"
                  "client: done\n");
}

/* ---- faults, exits, stuck systems ---- */

static void crash_in_init_is_reported_and_others_run_on(void **state)
{
    (void)state;
    struct run_result r;
    run_system(&r, "crash", NULL);
    assert_exit(&r, 4);
    /* The report comes when the fault happens, before any other PD runs (the Microkit monitor is
     * the highest-priority PD). */
    assert_lines_in_order(r.out, "first: init", "crasher: about to crash", "MON|ERROR: faulting PD: crasher",
                          "after: init");
    assert_int_equal(count_lines(r.out, "MON|ERROR: faulting PD: crasher"), 1);
    char *pds = without_monitor_lines(r.out);
    assert_text_equal("PD output of crash (MON| lines removed)",
                      "first: init\n"
                      "crasher: about to crash\n"
                      "after: init\n"
                      "after: notify first\n"
                      "first: notified by channel 2\n"
                      "after: back from notify first\n",
                      pds);
    free(pds);
    run_result_free(&r);
}

static void pd_exiting_is_reported_and_others_run_on(void **state)
{
    (void)state;
    struct run_result r;
    run_system(&r, "pd_exit", NULL);
    assert_exit(&r, 4);
    assert_lines_in_order(r.out, "quitter: exiting", "MON|ERROR: faulting PD: quitter", "after: init");
    char *pds = without_monitor_lines(r.out);
    assert_text_equal("PD output of pd_exit (MON| lines removed)",
                      "first: init\n"
                      "quitter: exiting\n"
                      "after: init\n"
                      "after: notify first\n"
                      "first: notified by channel 2\n"
                      "after: back from notify first\n",
                      pds);
    free(pds);
    run_result_free(&r);
}

static const char deadserver_output[] = "server: init\n"
                                        "client: ppcall server\n"
                                        "server: ppcall on channel 2, crashing\n";

/* The caller of a crashed server can never be answered: with a --timeout too, that is said at
 * once (exit 3, naming the blocked PD), not after the timeout. */
static void stuck_system_with_a_timeout_ends_at_once(void **state)
{
    (void)state;
    struct run_result r;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    run_system(&r, "deadserver", "--timeout", "30", NULL);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_exit(&r, 3);
    assert_true(has_line(r.out, "MON|ERROR: faulting PD: server"));
    char *pds = without_monitor_lines(r.out);
    assert_text_equal("PD output of deadserver (MON| lines removed)", deadserver_output, pds);
    free(pds);
    if (!contains(r.err, "hostkit: the system is stuck") || !contains(r.err, "client (init: blocked in a ppcall")) {
        run_result_dump(&r);
        fail_msg("stderr should say the system is stuck and name the blocked PD, client, in its init");
    }
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    if (secs > 15) /* the 30 s timeout was waited out */
        fail_msg("a stuck system took %.1f s to be reported", secs);
    run_result_free(&r);
}

static void stuck_system_without_timeout_ends_at_once(void **state)
{
    (void)state;
    /* Nothing can ever run again: hostkit says so (exit 3) instead of waiting forever. */
    struct run_result r;
    run_system(&r, "deadserver", NULL);
    assert_exit(&r, 3);
    char *pds = without_monitor_lines(r.out);
    assert_text_equal("PD output of deadserver (MON| lines removed)", deadserver_output, pds);
    free(pds);
    if (!contains(r.err, "client")) {
        run_result_dump(&r);
        fail_msg("stderr should name the blocked PD, client");
    }
    run_result_free(&r);
}

static void spinning_pd_is_named_at_timeout(void **state)
{
    (void)state;
    struct run_result r;
    run_system(&r, "spin", "--timeout", "1", NULL);
    assert_exit(&r, 3);
    assert_text_equal("stdout of spin", "spinner: spinning\n", r.out); /* waiter never gets the CPU */
    if (!contains(r.err, "hostkit: timeout") || !contains(r.err, "spinner")) {
        run_result_dump(&r);
        fail_msg("stderr should say \"hostkit: timeout\" and name the busy PD, spinner");
    }
    run_result_free(&r);
}

/* --until's regex sees a line without its newline, so `$` matches at the line's end: the second
 * line matches, not the first (which has more after TEST_PASS). */
static void until_regex_sees_the_line_without_its_newline(void **state)
{
    (void)state;
    expect_system("until_burst", 0,
                  "burst: TEST_PASS soon\n"
                  "burst: TEST_PASS\n",
                  "--timeout", "30", "--until", "TEST_PASS$");
}

/* Nothing after the matching line is printed, though the lines after it came in the same read
 * (tests/systems/until_burst/burst.c makes sure they do). */
static void until_prints_no_line_after_its_match(void **state)
{
    (void)state;
    expect_system("until_burst", 0,
                  "burst: TEST_PASS soon\n",
                  "--timeout", "30", "--until", "soon");
}

static void until_ends_an_endless_system(void **state)
{
    (void)state;
    expect_system("pingpong", 0,
                  "pong: init\n"
                  "ping: init\n"
                  "pong: 1\n"
                  "pong: 2\n"
                  "pong: 3\n"
                  "pong: 4\n"
                  "pong: 5\n",
                  "--timeout", "30", "--until", "pong: 5");
}

/* ---- invalid systems ---- */

static void missing_image_is_an_error(void **state)
{
    (void)state;
    struct run_result r;
    run_system(&r, "missing_image", NULL);
    assert_exit(&r, 1);
    assert_string_equal(r.out, ""); /* nothing started */
    if (strncmp(r.err, "Error: ", 7) != 0 || !contains(r.err, "no-such-image.elf")) {
        run_result_dump(&r);
        fail_msg("stderr should start with \"Error: \" and name no-such-image.elf");
    }
    run_result_free(&r);
}

/* A bad option value is a usage error (exit 2) naming the option; nothing runs. */
static void bad_option_values_exit_2(void **state)
{
    (void)state;
    static const char *const bad[][2] = {
        {"--timeout", "abc"}, {"--cores", "0"}, {"--until", "("}, {"--irq", "99@1"}, {"--irq", "33"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct run_result r;
        run_hostkit(&r, bad[i][0], bad[i][1], "examples/ipc/ipc.system", NULL);
        assert_exit(&r, 2);
        assert_string_equal(r.out, "");
        if (!contains(r.err, bad[i][0])) {
            run_result_dump(&r);
            fail_msg("stderr should name %s", bad[i][0]);
        }
        run_result_free(&r);
    }
}

/* An image that is not an executable ELF file is refused before any PD starts, naming it. */
static void image_that_is_not_elf_is_an_error(void **state)
{
    (void)state;
    struct run_result r;
    run_system(&r, "notelf", NULL);
    assert_exit(&r, 1);
    assert_string_equal(r.out, "");
    if (strncmp(r.err, "Error: program image '", 22) != 0 ||
        !contains(r.err, "script.img' of protection domain 'fake' is not an executable ELF file")) {
        run_result_dump(&r);
        fail_msg("stderr should name script.img and PD fake");
    }
    run_result_free(&r);
}

static void images_are_not_found_without_search_path(void **state)
{
    (void)state;
    struct run_result r;
    run_hostkit(&r, "tests/systems/init_order/init_order.system", NULL);
    assert_exit(&r, 1);
    assert_string_equal(r.out, "");
    if (strncmp(r.err, "Error: ", 7) != 0 || !contains(r.err, "pd.elf")) {
        run_result_dump(&r);
        fail_msg("stderr should start with \"Error: \" and name pd.elf");
    }
    run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ipc_example_matches_expected_transcript),
        cmocka_unit_test(ipc_example_until_stops_at_first_match),
        cmocka_unit_test(init_runs_in_priority_order),
        cmocka_unit_test(search_paths_are_tried_in_order),
        cmocka_unit_test(notify_higher_runs_at_once_lower_waits),
        cmocka_unit_test(preempted_server_waits_for_the_preempting_handler),
        cmocka_unit_test(equal_priority_pds_woken_by_a_higher_one_run_last_woken_first),
        cmocka_unit_test(notifications_coalesce),
        cmocka_unit_test(pending_channels_delivered_in_ascending_order),
        cmocka_unit_test(deferred_notify_goes_out_when_the_handler_returns),
        cmocka_unit_test(ppcall_chain_keeps_all_message_registers),
        cmocka_unit_test(msginfo_label_and_count_round_trip),
        cmocka_unit_test(msginfo_count_past_120_is_clamped),
        cmocka_unit_test(reply_resumes_caller_before_equal_priority_pd),
        cmocka_unit_test(msg_bytes_view_is_bounds_checked_and_carries_bytes),
        cmocka_unit_test(invalid_channels_print_diagnostics_and_send_nothing),
        cmocka_unit_test(crash_in_init_is_reported_and_others_run_on),
        cmocka_unit_test(pd_exiting_is_reported_and_others_run_on),
        cmocka_unit_test(stuck_system_with_a_timeout_ends_at_once),
        cmocka_unit_test(stuck_system_without_timeout_ends_at_once),
        cmocka_unit_test(spinning_pd_is_named_at_timeout),
        cmocka_unit_test(until_ends_an_endless_system),
        cmocka_unit_test(until_regex_sees_the_line_without_its_newline),
        cmocka_unit_test(until_prints_no_line_after_its_match),
        cmocka_unit_test(missing_image_is_an_error),
        cmocka_unit_test(image_that_is_not_elf_is_an_error),
        cmocka_unit_test(bad_option_values_exit_2),
        cmocka_unit_test(images_are_not_found_without_search_path),
    };
    return cmocka_run_group_tests_name("runtime", tests, NULL, NULL);
}
