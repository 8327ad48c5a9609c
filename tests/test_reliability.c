/* test_reliability.c — faults contained: each test breaks one PD (or the monitor) on purpose and
 * checks what the rest of the system and the monitor still do afterwards, from the exact
 * transcript. No test waits for time to pass: the ones that act on a running system read its
 * output line by line and act on what they read.
 *
 * Covered here: a crash in notified() and in protected() (the caller stays blocked; --timeout
 * names it), 1,000 restarts of a faulting child by its parent (no process, zombie, descriptor or
 * memory left behind), a PD killed with SIGKILL from outside (reported as a fault), the monitor
 * killed with SIGKILL (no PD survives it), and a PD scribbling on every shared page it can reach.
 * Elsewhere: a crash in init, a PD exiting, a spinning PD named at --timeout and invalid channels
 * and registers (test_runtime.c); the invalid-argument sweep of every API call is here too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

static void expect_pd_output(const char *what, const char *expected, const char *out)
{
    char *pds = without_monitor_lines(out);
    assert_text_equal(what, expected, pds);
    free(pds);
}

static int64_t now_ms(void) { return test_now_ms(); }

/* ---- crashes ---- */

static void crash_in_notified_is_reported_and_others_run_on(void **state)
{
    (void)state;
    struct run_result r;
    run_system(&r, "fault_notified", NULL);
    assert_exit(&r, 4);
    /* reported at once, before the notifier continues */
    assert_lines_in_order(r.out, "crasher: notified by channel 1, crashing", "MON|ERROR: faulting PD: crasher",
                          "sender: back from notify crasher");
    assert_int_equal(count_lines(r.out, "MON|ERROR: faulting PD: crasher"), 1);
    expect_pd_output("PD output of fault_notified",
                     "crasher: init\n"
                     "bystander: init\n"
                     "sender: notify crasher\n"
                     "crasher: notified by channel 1, crashing\n"
                     "sender: back from notify crasher\n"
                     "sender: notify bystander\n"
                     "bystander: notified by channel 1\n"
                     "sender: notify crasher again\n" /* to a dead PD: lost, harmlessly */
                     "sender: done\n",
                     r.out);
    run_result_free(&r);
}

/* The caller of a server that crashed in protected() is blocked for ever: the system is stuck, and
 * that is reported at once, --timeout or not, naming the blocked PD and the handler it is in. */
static void crash_in_protected_leaves_caller_blocked_and_the_stuck_report_names_it(void **state)
{
    (void)state;
    struct run_result r;
    run_system(&r, "fault_protected", "--timeout", "30", NULL);
    assert_exit(&r, 3);
    assert_lines_in_order(r.out, "server: ppcall on channel 1, crashing", "MON|ERROR: faulting PD: server",
                          "bystander: init");
    expect_pd_output("PD output of fault_protected",
                     "server: init\n"
                     "client: ppcall server\n"
                     "server: ppcall on channel 1, crashing\n"
                     "bystander: init\n" /* the others run on */
                     "bystander: notify client\n"
                     "bystander: done\n", /* client never returns, never takes the notification */
                     r.out);
    assert_text_equal("stderr of fault_protected",
                      "hostkit: the system is stuck (nothing can run); still busy: client (init: blocked in a ppcall "
                      "on channel 1 to server)\n",
                      r.err);
    run_result_free(&r);
}

/* The monitor's PD processes (and how many are zombies), descriptors (-1 if hidden) and memory. */
struct monitor_look {
    int processes, zombies, fds;
    long rss_kb;
};
static struct monitor_look look_at_monitor(long mon)
{
    struct monitor_look m = {0, 0, proc_fd_count(mon), proc_status_field(mon, "VmRSS:")};
    long kids[64];
    m.processes = proc_children(mon, kids, 64);
    for (int i = 0; i < m.processes; i++)
        m.zombies += proc_status_field(kids[i], "State:") == 'Z';
    return m;
}

static void thousand_restarts_leave_nothing_behind(void **state)
{
    (void)state;
    /* The test compares the monitor's processes, descriptors and memory after 10 and after 1,000
     * restarts (parent waits at 10 until told to go on). Restarts keep the child's process (seL4
     * rewrites its registers only), and the stopped child stays, suspended: three processes,
     * parent, child and bystander. */
    struct live l;
    live_start(&l, "restarts", NULL, NULL, true);
    live_line(&l, "parent: child 3 faulted 10 times; waiting");
    live_line(&l, "parent: notified by channel 1"); /* bystander has run: all is settled */
    struct monitor_look at10 = look_at_monitor(l.pid);
    live_irq(&l, "parent:2");
    live_line(&l, "parent: child 3 faulted 1001 times, restarted 1000 times, now stopped");
    struct monitor_look at1000 = look_at_monitor(l.pid);
    assert_int_equal(live_finish(&l), 0);
    assert_text_equal("stdout of restarts",
                      "parent: init\n"
                      "parent: child 3 faulted 10 times; waiting\n"
                      "bystander: init\n"
                      "parent: notified by channel 1\n"
                      "parent: restarting it again\n"
                      "parent: child 3 faulted 1001 times, restarted 1000 times, now stopped\n",
                      l.text);
    assert_string_equal(l.errtext, "");
    assert_int_equal(at10.processes, 3);
    assert_int_equal(at10.zombies, 0);
    assert_int_equal(at1000.processes, 3);
    assert_int_equal(at1000.zombies, 0);
    if (at10.fds < 0)
        fprintf(stderr, "# the monitor's descriptors are hidden from this user (it is non-dumpable): not compared\n");
    else
        assert_int_equal(at1000.fds, at10.fds);
    if (at1000.rss_kb - at10.rss_kb >= 1024)
        fail_msg("the monitor's memory grew from %ld KiB to %ld KiB over 990 restarts", at10.rss_kb, at1000.rss_kb);
    live_free(&l);
}

/* ---- killed from outside ---- */

static void pd_killed_from_outside_is_reported_and_others_run_on(void **state)
{
    (void)state;
    struct live l;
    live_start(&l, "killed", NULL, NULL, true);
    live_line(&l, "victim: up");
    live_line(&l, "watcher: waiting for the victim to be killed");
    long pid = pd_pid(l.pid, "victim");
    assert_int_equal(kill((pid_t)pid, SIGKILL), 0);
    live_line(&l, "MON|ERROR: hostkit: killed by signal 9");
    live_irq(&l, "watcher:3"); /* reaped and reported: the watcher may go on */
    int status = live_finish(&l);
    if (status != 4)
        fprintf(stderr, "# stdout:\n%s# stderr:\n%s", l.text, l.errtext);
    assert_int_equal(status, 4);
    assert_lines_in_order(l.text, "MON|ERROR: faulting PD: victim", "MON|ERROR: hostkit: killed by signal 9 (Killed)");
    expect_pd_output("PD output of killed",
                     "victim: up\n"
                     "bystander: init\n"
                     "watcher: waiting for the victim to be killed\n"
                     "watcher: victim gone; notify victim, then bystander\n"
                     "bystander: notified by channel 1\n"
                     "watcher: done\n",
                     l.text);
    live_free(&l);
}

static void monitor_killed_leaves_no_pd_behind(void **state)
{
    (void)state;
    struct live l;
    live_start(&l, "monitor_kill", NULL, NULL, false);
    pid_t pids[3];
    int pidfds[3];
    const char *names[3] = { "server", "idle", "client" };
    for (int i = 0; i < 3; i++) {
        char up[32];
        snprintf(up, sizeof up, "%s: up", names[i]);
        live_line(&l, up);
        pids[i] = (pid_t)pd_pid(l.pid, names[i]);
        assert_true(pids[i] > 1);
        pidfds[i] = (int)syscall(SYS_pidfd_open, pids[i], 0);
        assert_true(pidfds[i] >= 0);
    }
    live_line(&l, "server: spinning"); /* now: server running, client blocked in a call, idle waiting */
    assert_int_equal(kill(l.pid, SIGKILL), 0);
    /* Each PD must end by itself (PR_SET_PDEATHSIG), without anyone killing its group. */
    for (int i = 0; i < 3; i++) {
        struct pollfd p = { pidfds[i], POLLIN, 0 };
        int left = (int)(l.deadline_ms - now_ms());
        if (poll(&p, 1, left > 0 ? left : 0) != 1)
            fail_msg("PD %d (%s) outlived the monitor", (int)pids[i], names[i]);
        close(pidfds[i]);
        int st;
        /* it was re-parented to us (a subreaper): reap it and see how it ended */
        assert_int_equal(waitpid(pids[i], &st, 0), pids[i]);
        assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
        char proc[64];
        struct stat sb;
        snprintf(proc, sizeof proc, "/proc/%d", (int)pids[i]);
        assert_int_equal(stat(proc, &sb), -1);
    }
    assert_int_equal(live_finish(&l), 128 + SIGKILL);
    live_free(&l);
}

/* ---- a PD that writes garbage over every shared page it can reach ---- */

static const char scribble_before[] = "server: init\n"
                                      "server: ppcall on channel 1: label 5, checksum 7835960\n"
                                      "client: reply label 7, checksum 7835960\n";

/* The lines of TEXT after the line AFTER from PDs other than the one named SKIP (lines starting
 * with it, and its kernel's debug lines, which name it "SKIP" @), newly allocated. */
static char *lines_after(const char *text, const char *after, const char *skip)
{
    const char *p = strstr(text, after);
    assert_non_null(p);
    p += strlen(after);
    char *out = calloc(1, strlen(p) + 1), quoted[80];
    assert_non_null(out);
    snprintf(quoted, sizeof quoted, "\"%s\" @", skip);
    while (*p) {
        size_t n = strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n');
        const char *q = strstr(p, quoted);
        if (strncmp(p, skip, strlen(skip)) && !(q && q < p + n))
            strncat(out, p, n);
        p += n;
    }
    return out;
}

static void scribbling_on_own_pages_harms_nobody_else(void **state)
{
    (void)state;
    /* Its signal page, its control page and its region: the scribbler breaks only itself (garbage
     * on its control page restarts it and hands it a child's fault it has no handler for: the
     * monitor reports its fault); its configuration is read-only. The channel it does not hold
     * works afterwards exactly as before, and nobody receives anything forged: server, whose
     * notifications from it the garbage on its own signal page stands for, is told of them
     * (notified(2): the scribbler may notify it) once the system is idle, with the lost wake-up
     * reported. */
    struct run_result r;
    run_system(&r, "scribble", "--timeout", "10", NULL);
    if (r.status != 4)
        run_result_dump(&r);
    assert_int_equal(r.status, 4);
    char expected[2048];
    snprintf(expected, sizeof expected,
             "%s"
             "scribbler: can reach hostkit-cfg-scribbler (read-only)\n"
             "scribbler: can reach hostkit-ctl-scribbler (writable)\n"
             "scribbler: can reach hostkit-mr-own (writable)\n"
             "scribbler: can reach hostkit-sched (writable)\n"
             "scribbler: can reach hostkit-signal-2-scribbler (writable)\n"
             "scribbler: can reach hostkit-signal-2-server (read-only)\n"
             "scribbler: scribbling on all but hostkit-sched\n"
             "scribbler: scribbled\n",
             scribble_before);
    char *pds = without_monitor_lines(r.out);
    assert_true(!strncmp(pds, expected, strlen(expected)));
    char *after = lines_after(pds, "scribbler: scribbled\n", "scribbler");
    assert_text_equal("PD output of scribble after the scribble",
                      "server: notified by channel 2\n" /* its own notify, after the scribble */
                      "late: notify client\n"
                      "client: notified by channel 2, ppcall server again\n"
                      "server: ppcall on channel 1: label 5, checksum 7835960\n"
                      "client: reply label 7, checksum 7835960\n"
                      "late: done\n"
                      "server: notified by channel 2\n", /* the garbage counters: a lost wake-up */
                      after);
    free(after);
    free(pds);
    assert_int_equal(count_lines(r.out, "MON|ERROR: faulting PD: scribbler"), 1);
    assert_false(contains(r.out, "faulting PD: server") || contains(r.out, "faulting PD: client"));
    assert_text_equal("stderr of scribble",
                      "hostkit: PD 'server' was blocked in receive with a notification on channel 2 waiting and "
                      "nothing to wake it: its wake-up was lost (a PD wrote over shared memory: the scheduler "
                      "page, or a signal page of its own); woken\n",
                      r.err);
    run_result_free(&r);
}

/* Garbage on the scheduler page (a lock word left "held", out-of-range CPU and PD numbers): a
 * denial of service at worst. The monitor takes a lock held past 50 ms and indexes nothing with
 * values read from the page; it finds the page inconsistent and ends the run (exit 3), saying
 * what it found, well before --timeout, and never "still busy: none". Nothing forged reaches
 * server or client: after the scribble they see only what late and scribbler_all, which may
 * notify them, sent, and ppcalls with their checksum intact. */
static void scribbling_on_scheduler_page_is_reported(void **state)
{
    (void)state;
    struct live l;
    live_start(&l, "scribble_all", NULL, (const char *const[]){"--timeout=5", NULL}, false);
    l.deadline_ms = now_ms() + 10000; /* the monitor must end it itself, well before this */
    live_line(&l, "scribbler_all: scribbled");
    int64_t scribbled = now_ms();
    int status = live_finish(&l);
    if (status != 3)
        fprintf(stderr, "# stdout:\n%s# stderr:\n%s", l.text, l.errtext);
    assert_int_equal(status, 3);
    assert_true(now_ms() - scribbled < 4000); /* found out, not timed out */
    char *pds = without_monitor_lines(l.text);
    assert_true(!strncmp(pds, scribble_before, strlen(scribble_before)));
    char *after = lines_after(pds, "scribbler_all: scribbled\n", "scribbler_all");
    for (const char *p = after; *p; p += strcspn(p, "\n") + 1) {
        size_t n = strcspn(p, "\n");
        static const char *const allowed[] = {"late: notify client", "late: done",
                                              "client: notified by channel 2, ppcall server again",
                                              "server: ppcall on channel 1: label 5, checksum 7835960",
                                              "client: reply label 7, checksum 7835960",
                                              "server: notified by channel 2"};
        bool ok = false;
        for (size_t k = 0; k < sizeof allowed / sizeof *allowed; k++)
            ok |= n == strlen(allowed[k]) && !strncmp(p, allowed[k], n);
        if (!ok)
            fail_msg("after the scribble: \"%.*s\", which nobody sent", (int)n, p);
        if (!p[n])
            break;
    }
    free(after);
    free(pds);
    assert_true(contains(l.errtext, "hostkit: the scheduler page is corrupt: "));
    assert_false(contains(l.errtext, "still busy: none"));
    live_free(&l);
}

/* ---- every invalid argument ---- */

static void every_invalid_channel_and_register_is_refused(void **state)
{
    (void)state;
    /* test_runtime's `invalid` has a few of each; here all channel ids 0..255 and some huge ones
     * for notify, irq_ack and ppcall, and every register 120..255 for mr_set and mr_get */
    static const unsigned huge[] = { 1000, 65535, 0x7fffffffu, 0xffffffffu };
    size_t cap = 1 << 20, n = 0;
    char *want = malloc(cap);
    assert_non_null(want);
    n += (size_t)snprintf(want + n, cap - n, "server: init\n");
    static const char *const calls[] = { "microkit_notify", "microkit_irq_ack", "microkit_ppcall" };
    static const unsigned valid[] = { 1, 3, 1 };
    for (int c = 0; c < 3; c++) {
        for (unsigned ch = 0; ch < 256 + 4; ch++) {
            unsigned id = ch < 256 ? ch : huge[ch - 256];
            if (ch < 256 && ch == valid[c])
                continue;
            n += (size_t)snprintf(want + n, cap - n, "client %s: invalid channel given '%u'\n", calls[c], id);
        }
    }
    for (unsigned mr = 120; mr < 256; mr++) {
        n += (size_t)snprintf(want + n, cap - n, "client microkit_mr_set: invalid message register '%u'\n", mr);
        n += (size_t)snprintf(want + n, cap - n, "client microkit_mr_get: invalid message register '%u'\n", mr);
    }
    n += (size_t)snprintf(want + n, cap - n,
                          "client: sum of the invalid registers read: 0\n"
                          "client: valid notify and ppcall\n"
                          "server: notified by channel 1\n" /* the first and only notification */
                          "server: ppcall on channel 1: label 7\n" /* the first and only call */
                          "client: done\n");
    struct run_result r;
    run_system(&r, "invalid_sweep", NULL);
    assert_exit(&r, 0);
    assert_text_equal("stdout of invalid_sweep", want, r.out);
    run_result_free(&r);
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crash_in_notified_is_reported_and_others_run_on),
        cmocka_unit_test(crash_in_protected_leaves_caller_blocked_and_the_stuck_report_names_it),
        cmocka_unit_test(thousand_restarts_leave_nothing_behind),
        cmocka_unit_test(pd_killed_from_outside_is_reported_and_others_run_on),
        cmocka_unit_test(monitor_killed_leaves_no_pd_behind),
        cmocka_unit_test(every_invalid_channel_and_register_is_refused),
        cmocka_unit_test(scribbling_on_own_pages_harms_nobody_else),
        cmocka_unit_test(scribbling_on_scheduler_page_is_reported),
    };
    return cmocka_run_group_tests_name("reliability", tests, NULL, NULL);
}
