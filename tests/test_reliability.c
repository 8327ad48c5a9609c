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

/* ---- a run we can act on while it goes: output read line by line ---- */

struct live {
    pid_t pid;
    int out, err;
    char *text, *errtext;       /* everything read so far */
    size_t len, errlen, scanned; /* scanned: stdout up to here was looked at by live_line */
    int64_t deadline_ms;
};

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void append(char **buf, size_t *len, const char *s, size_t n)
{
    *buf = realloc(*buf, *len + n + 1);
    assert_non_null(*buf);
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
}

/* Starts `hostkit run ... --search-path BUILD/tests/systems/SYS tests/systems/SYS/SYS.system`. */
static void live_start(struct live *l, const char *sys, const char *extra)
{
    memset(l, 0, sizeof *l);
    append(&l->text, &l->len, "", 0);
    append(&l->errtext, &l->errlen, "", 0);
    l->deadline_ms = now_ms() + RUN_SAFETY_LIMIT_SECONDS * 1000;
    prctl(PR_SET_CHILD_SUBREAPER, 1); /* PDs the monitor leaves behind come to us */
    char search[512], file[512];
    snprintf(search, sizeof search, "%s/tests/systems/%s", build_dir(), sys);
    snprintf(file, sizeof file, "tests/systems/%s/%s.system", sys, sys);
    int po[2], pe[2];
    assert_int_equal(pipe2(po, O_CLOEXEC), 0);
    assert_int_equal(pipe2(pe, O_CLOEXEC), 0);
    fflush(NULL);
    l->pid = fork();
    assert_true(l->pid >= 0);
    if (l->pid == 0) {
        setpgid(0, 0);
        int null = open("/dev/null", O_RDONLY);
        dup2(null, 0), dup2(po[1], 1), dup2(pe[1], 2);
        if (extra)
            execl(hostkit_path(), hostkit_path(), "run", extra, "--search-path", search, file, (char *)NULL);
        else
            execl(hostkit_path(), hostkit_path(), "run", "--search-path", search, file, (char *)NULL);
        _exit(127);
    }
    setpgid(l->pid, l->pid);
    close(po[1]);
    close(pe[1]);
    l->out = po[0];
    l->err = pe[0];
}

/* Reads whatever comes within the safety limit; false at EOF of both pipes or the limit. */
static bool live_read(struct live *l)
{
    struct pollfd p[2] = { { l->out, POLLIN, 0 }, { l->err, POLLIN, 0 } };
    int left = (int)(l->deadline_ms - now_ms());
    if ((l->out < 0 && l->err < 0) || left <= 0)
        return false;
    if (poll(p, 2, left) <= 0)
        return false;
    char chunk[4096];
    for (int k = 0; k < 2; k++) {
        int *fd = k ? &l->err : &l->out;
        if (*fd < 0 || !p[k].revents)
            continue;
        ssize_t n = read(*fd, chunk, sizeof chunk);
        if (n > 0) {
            if (k)
                append(&l->errtext, &l->errlen, chunk, (size_t)n);
            else
                append(&l->text, &l->len, chunk, (size_t)n);
        } else if (n == 0 || errno != EINTR) {
            close(*fd);
            *fd = -1;
        }
    }
    return true;
}

/* Waits for the next stdout line starting with PREFIX; returns what follows the prefix on it
 * (a static copy), or fails the test if the run ends first. */
static const char *live_line(struct live *l, const char *prefix)
{
    static char found[512];
    for (;;) {
        char *nl;
        while ((nl = memchr(l->text + l->scanned, '\n', l->len - l->scanned)) != NULL) {
            char *line = l->text + l->scanned;
            size_t n = (size_t)(nl - line);
            l->scanned += n + 1;
            if (n >= strlen(prefix) && !strncmp(line, prefix, strlen(prefix))) {
                snprintf(found, sizeof found, "%.*s", (int)(n - strlen(prefix)), line + strlen(prefix));
                return found;
            }
        }
        if (!live_read(l)) {
            fprintf(stderr, "# stdout so far:\n%s# stderr so far:\n%s", l->text, l->errtext);
            fail_msg("the run ended before a line starting with \"%s\"", prefix);
        }
    }
}

/* Reads to the end and collects the monitor's exit status (128+N for signal N). */
static int live_finish(struct live *l)
{
    while (live_read(l))
        ;
    int st = 0;
    if (now_ms() >= l->deadline_ms)
        kill(-l->pid, SIGKILL);
    while (waitpid(l->pid, &st, 0) < 0 && errno == EINTR)
        ;
    kill(-l->pid, SIGKILL); /* whatever is left of the group */
    while (waitpid(-l->pid, NULL, WNOHANG) > 0)
        ;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void live_free(struct live *l)
{
    if (l->out >= 0)
        close(l->out);
    if (l->err >= 0)
        close(l->err);
    free(l->text);
    free(l->errtext);
}

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

static void thousand_restarts_leave_nothing_behind(void **state)
{
    (void)state;
    struct run_result r;
    run_system(&r, "restarts", NULL);
    assert_exit(&r, 0);
    /* parent counts the monitor's child processes itself (/proc), and compares the monitor's
     * descriptors and memory after 10 and after 1,000 restarts. Restarts keep the child's
     * process (seL4 rewrites its registers only), and the stopped child stays, suspended: three
     * processes, parent, child and bystander. */
    assert_text_equal("stdout of restarts",
                      "parent: init\n"
                      "parent: child 3 faulted 1001 times, restarted 1000 times, now stopped\n"
                      "parent: the monitor has 3 processes (0 zombies)\n"
                      "parent: monitor descriptors: as many as after 10 restarts\n"
                      "parent: monitor memory: grew by less than 1 MiB since 10 restarts\n"
                      "bystander: init\n"
                      "parent: notified by channel 1; the monitor has 3 processes (0 zombies)\n",
                      r.out);
    assert_string_equal(r.err, "");
    run_result_free(&r);
}

/* ---- killed from outside ---- */

static void pd_killed_from_outside_is_reported_and_others_run_on(void **state)
{
    (void)state;
    struct live l;
    live_start(&l, "killed", NULL);
    long pid = strtol(live_line(&l, "victim: pid "), NULL, 10);
    assert_true(pid > 1);
    live_line(&l, "watcher: waiting for the victim to be killed");
    assert_int_equal(kill((pid_t)pid, SIGKILL), 0);
    int status = live_finish(&l);
    if (status != 4)
        fprintf(stderr, "# stdout:\n%s# stderr:\n%s", l.text, l.errtext);
    assert_int_equal(status, 4);
    assert_lines_in_order(l.text, "MON|ERROR: faulting PD: victim", "MON|ERROR: hostkit: killed by signal 9 (Killed)");
    char expected[512];
    snprintf(expected, sizeof expected,
             "victim: pid %ld\n"
             "bystander: init\n"
             "watcher: waiting for the victim to be killed\n"
             "watcher: victim gone; notify victim, then bystander\n"
             "bystander: notified by channel 1\n"
             "watcher: done\n",
             pid);
    expect_pd_output("PD output of killed", expected, l.text);
    live_free(&l);
}

static void monitor_killed_leaves_no_pd_behind(void **state)
{
    (void)state;
    struct live l;
    live_start(&l, "monitor_kill", NULL);
    pid_t pids[3];
    int pidfds[3];
    const char *names[3] = { "server: pid ", "idle: pid ", "client: pid " };
    for (int i = 0; i < 3; i++) {
        pids[i] = (pid_t)strtol(live_line(&l, names[i]), NULL, 10);
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

static void scribbling_on_own_pages_harms_nobody_else(void **state)
{
    (void)state;
    /* Its channel page, its ctl page and its region: the scribbler breaks only itself (its kernel
     * reads its ctl page: what it does then, garbage in, is its own affair, and it ends in a
     * fault); the monitor reports that; the channel it does not hold works afterwards exactly as
     * before, and nobody receives anything forged. */
    struct run_result r;
    run_system(&r, "scribble", "--timeout", "10", NULL);
    assert_exit(&r, 4);
    /* the scribbler's own lines after it scribbled are left out */
    char *after = strstr(r.out, "scribbler: scribbled\n");
    assert_non_null(after);
    after += strlen("scribbler: scribbled\n");
    for (char *line = after, *next; *line; line = next) {
        next = strchr(line, '\n');
        next = next ? next + 1 : line + strlen(line);
        /* "scribbler: ...", "scribbler is missing ...", and its kernel's debug lines */
        if (!strncmp(line, "scribbler", 9) || (strstr(line, "\"scribbler\" @") && strstr(line, "\"scribbler\" @") < next)) {
            memmove(line, next, strlen(next) + 1);
            next = line;
        }
    }
    char expected[2048];
    snprintf(expected, sizeof expected,
             "%s"
             "scribbler: can reach hostkit-channel-2 (writable)\n"
             "scribbler: can reach hostkit-ctl-scribbler (writable)\n"
             "scribbler: can reach hostkit-mr-own (writable)\n"
             "scribbler: can reach hostkit-sched (writable)\n"
             "scribbler: scribbling on all but hostkit-sched\n"
             "scribbler: scribbled\n"
             "late: notify client\n"
             "client: notified by channel 2, ppcall server again\n"
             "server: ppcall on channel 1: label 5, checksum 7835960\n"
             "client: reply label 7, checksum 7835960\n"
             "late: done\n",
             scribble_before);
    expect_pd_output("PD output of scribble", expected, r.out);
    assert_int_equal(count_lines(r.out, "MON|ERROR: faulting PD: scribbler"), 1);
    assert_false(contains(r.out, "faulting PD: server") || contains(r.out, "faulting PD: client"));
    run_result_free(&r);
}

/* Garbage on the scheduler page (a lock word left "held", out-of-range CPU and PD numbers): a
 * denial of service at worst — the monitor takes a lock held past 50 ms and indexes nothing with
 * values read from the page, so the run ends at --timeout (exit 3) — and nothing forged reaches
 * server or client. */
static void scribbling_on_scheduler_page_is_only_denial_of_service(void **state)
{
    (void)state;
    struct live l;
    live_start(&l, "scribble_all", "--timeout=2");
    l.deadline_ms = now_ms() + 10000; /* the monitor must end it itself, well before this */
    live_line(&l, "scribbler_all: scribbled");
    int status = live_finish(&l);
    if (status != 3)
        fprintf(stderr, "# stdout:\n%s# stderr:\n%s", l.text, l.errtext);
    assert_int_equal(status, 3);
    char *pds = without_monitor_lines(l.text);
    assert_true(!strncmp(pds, scribble_before, strlen(scribble_before)));
    /* after the scribble, server and client say nothing: nothing was sent to them */
    const char *after = strstr(pds, "scribbler_all: scribbled\n");
    assert_non_null(after);
    assert_false(contains(after, "server:") || contains(after, "client:"));
    free(pds);
    /* the monitor ends it: at the timeout, or at once when the scribbled states make the system
     * look stuck (a stuck system is reported at once, --timeout or not); both exit 3 */
    if (!contains(l.errtext, "hostkit: timeout") && !contains(l.errtext, "hostkit: the system is stuck"))
        fail_msg("stderr should say the run timed out or was stuck:\n%s", l.errtext);
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
        cmocka_unit_test(scribbling_on_scheduler_page_is_only_denial_of_service),
    };
    return cmocka_run_group_tests_name("reliability", tests, NULL, NULL);
}
