/* test_checks.c — issue 16: an exit status that cannot lie. `hostkit run`'s checks (--until,
 * --expect, --forbid, --strict) each fail the run with their own exit status when they are not
 * met (5) or see a failure (6), where the run used to exit 0; a stuck system is reported at once;
 * the words at a timeout say what each busy PD does; --log names PDs; --tap prints a report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define IPC "examples/ipc/ipc.system"

static void fail_unless(bool ok, const struct run_result *r, const char *why)
{
    if (!ok) {
        run_result_dump(r);
        fail_msg("%s", why);
    }
}

/* An --expect file with TEXT in it; its path is static, valid until the next call. */
static const char *expect_file(const char *text)
{
    static char path[64];
    if (path[0])
        unlink(path);
    if (!text)
        return NULL;
    snprintf(path, sizeof path, "/tmp/hostkit-expect-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void until_that_never_matches_exits_5(void **state)
{
    (void)state;
    struct run_result r;
    run_hostkit(&r, "--until", "NO SUCH LINE", IPC, NULL); /* quiescent without the line */
    assert_exit(&r, 5);
    assert_true(has_line(r.out, "client: TEST_PASS"));
    fail_unless(contains(r.err, "hostkit: FAILED until: NO SUCH LINE: no output line matched"), &r,
                "stderr should say which check failed");
    run_result_free(&r);
    run_system(&r, "spin", "--until", "NEVER", "--timeout", "1", NULL); /* ended by the timeout */
    assert_exit(&r, 5);
    run_result_free(&r);
    run_hostkit(&r, "--until", "TEST_PASS", IPC, NULL);
    assert_exit(&r, 0);
    run_result_free(&r);
}

static void expect_file_lines_must_come_in_order(void **state)
{
    (void)state;
    struct run_result r;
    /* the example's own expected.txt is an expect file */
    run_hostkit(&r, "--expect", "examples/ipc/expected.txt", IPC, NULL);
    assert_exit(&r, 0);
    run_result_free(&r);
    const char *path = expect_file("# comments and empty lines are skipped\n\n"
                                   "server: initializing\n"
                                   "re:^server: replying sum 0x[0-9a-f]+ mix\n"
                                   "client: TEST_PASS\n");
    run_hostkit(&r, "--expect", path, IPC, NULL);
    assert_exit(&r, 0);
    run_result_free(&r);
    /* every line is there, but not in this order */
    path = expect_file("client: TEST_PASS\nserver: initializing\n");
    run_hostkit(&r, "--expect", path, IPC, NULL);
    assert_exit(&r, 5);
    char want[160];
    snprintf(want, sizeof want, "hostkit: FAILED expect %s:2: server: initializing: not in the output after line 17", path);
    fail_unless(contains(r.err, want), &r, "stderr should name the expect file's line that was not met");
    run_result_free(&r);
    /* a literal line is a whole line: a part of one is not enough */
    path = expect_file("client: TEST\n");
    run_hostkit(&r, "--expect", path, IPC, NULL);
    assert_exit(&r, 5);
    run_result_free(&r);
}

static void bad_expect_files_are_usage_errors_naming_file_and_line(void **state)
{
    (void)state;
    struct run_result r;
    const char *path = expect_file("server: initializing\nre:(unclosed\n");
    run_hostkit(&r, "--expect", path, IPC, NULL);
    assert_exit(&r, 2);
    char want[128];
    snprintf(want, sizeof want, "hostkit: --expect %s:2: regex '(unclosed'", path);
    fail_unless(contains(r.err, want), &r, "stderr should name the file, the line and the regex");
    run_result_free(&r);
    run_hostkit(&r, "--expect", "/nonexistent/expect.txt", IPC, NULL);
    assert_exit(&r, 2);
    fail_unless(contains(r.err, "/nonexistent/expect.txt"), &r, "stderr should name the file");
    run_result_free(&r);
}

static void forbidden_lines_fail_the_run(void **state)
{
    (void)state;
    struct run_result r;
    run_hostkit(&r, "--forbid", "TEST_FAIL", "--forbid", "sum reply", IPC, NULL);
    assert_exit(&r, 6);
    fail_unless(contains(r.err, "hostkit: FAILED forbid: sum reply: output line 8 matches: client: sum reply correct"),
                &r, "stderr should name the forbidden line");
    fail_unless(!contains(r.err, "FAILED forbid: TEST_FAIL"), &r, "TEST_FAIL never appeared");
    run_result_free(&r);
    run_hostkit(&r, "--forbid", "TEST_FAIL", IPC, NULL);
    assert_exit(&r, 0);
    run_result_free(&r);
}

/* Without --strict these runs exit 0 (diagnostics, budget) or 4 (fault); with it, 6. */
static void strict_fails_on_diagnostics_budget_and_faults(void **state)
{
    (void)state;
    static const struct {
        const char *sys;
        int plain, strict;
        const char *says;
    } cases[] = {
        {"invalid", 0, 6, "FAILED strict: no libmicrokit diagnostic: 17 diagnostic lines, the first (output line 2): "
                          "server microkit_ppcall: invalid channel given '2'"},
        {"noprotected", 3, 6, "FAILED strict: no libmicrokit diagnostic: 1 diagnostic lines, the first (output line 3): "
                              "server is missing the 'protected' entry point"},
        {"budget", 0, 6, "FAILED strict: no handler past its budget: budget overrun warned about by slow"},
        {"crash", 4, 6, "FAILED strict: no unhandled fault: faulted with nobody to handle it: crasher"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        struct run_result r;
        run_system(&r, cases[k].sys, NULL);
        assert_exit(&r, cases[k].plain);
        run_result_free(&r);
        run_system(&r, cases[k].sys, "--strict", NULL);
        assert_exit(&r, cases[k].strict);
        fail_unless(contains(r.err, cases[k].says), &r, cases[k].says);
        run_result_free(&r);
    }
    struct run_result r;
    run_hostkit(&r, "--strict", IPC, NULL); /* a clean system passes */
    assert_exit(&r, 0);
    run_result_free(&r);
}

static void timeout_report_says_which_handler_runs(void **state)
{
    (void)state;
    struct run_result r;
    run_system(&r, "spin_notified", "--timeout", "1", NULL);
    assert_exit(&r, 3);
    assert_text_equal("stderr of spin_notified",
                      "hostkit: timeout after 1 s; still busy: spinner (running notified(4), which has not returned: "
                      "spinning, or never entering the kernel)\n",
                      r.err);
    run_result_free(&r);
    run_system(&r, "stopped", "--timeout", "1", NULL);
    assert_exit(&r, 3);
    assert_text_equal("stderr of stopped",
                      "hostkit: timeout after 1 s; still busy: parent (running init, which has not returned: "
                      "spinning, or never entering the kernel), child (stopped by its parent)\n",
                      r.err);
    run_result_free(&r);
}

static void log_names_pds_by_name(void **state)
{
    (void)state;
    struct run_result r;
    run_hostkit(&r, "--log", IPC, NULL);
    assert_exit(&r, 0);
    fail_unless(contains(r.err, "hostkit: server notify ch 37 -> client ch 13 label 0 mrs 0") &&
                    contains(r.err, "hostkit: client ppcall ch 13 -> server ch 37 label 1 mrs 4"),
                &r, "--log should name the peer PD");
    run_result_free(&r);
}

/* --tap: the output as comments, then a plan and a line per check, failures with their message. */
static void tap_report_has_a_case_per_check(void **state)
{
    (void)state;
    struct run_result r;
    const char *path = expect_file("client: initializing\nclient: NOT PRINTED\n");
    run_hostkit(&r, "--tap", "--expect", path, "--forbid", "TEST_FAIL", IPC, NULL);
    assert_exit(&r, 5);
    char l2[160], l3[160], msg[200];
    snprintf(l2, sizeof l2, "ok 2 - expect %s:1: client: initializing", path);
    snprintf(l3, sizeof l3, "not ok 3 - expect %s:2: client: NOT PRINTED", path);
    snprintf(msg, sizeof msg, "  message: \"not in the output after line 3, which met %s:1\"", path);
    assert_lines_in_order(r.out, "# server: initializing", "# client: TEST_PASS", "TAP version 13", "1..4",
                          "ok 1 - run ends quiescent or at --until", l2, l3, "  ---", msg, "  ...",
                          "ok 4 - forbid: TEST_FAIL");
    run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(until_that_never_matches_exits_5),
        cmocka_unit_test(expect_file_lines_must_come_in_order),
        cmocka_unit_test(bad_expect_files_are_usage_errors_naming_file_and_line),
        cmocka_unit_test(forbidden_lines_fail_the_run),
        cmocka_unit_test(strict_fails_on_diagnostics_budget_and_faults),
        cmocka_unit_test(timeout_report_says_which_handler_runs),
        cmocka_unit_test(log_names_pds_by_name),
        cmocka_unit_test(tap_report_has_a_case_per_check),
    };
    int failed = cmocka_run_group_tests_name("checks", tests, NULL, NULL);
    expect_file(NULL);
    return failed;
}
