/* test_isolation.c — what a PD can reach, and the sandbox.
 *
 * - Each PD of tests/systems/isolation (a–b channel, b–c channel, a region only a maps, one b and
 *   c share) holds exactly the shared memory its system description gives it: listed from
 *   /proc/PID/maps (memfds named hostkit-sched, hostkit-cfg-PD (read-only), hostkit-ctl-PD,
 *   hostkit-signal-N-SENDER (writable by the sender only), hostkit-mr-NAME) and /proc/PID/fd, read
 *   while the system runs: no memfd descriptor, stdin /dev/null, its own event fd. It runs in user,
 *   PID, mount and network namespaces of its own, or the monitor says it cannot. Every memfd the
 *   monitor holds (/proc/MONITOR/fd) is sealed against shrinking, configurations against writing.
 * - The seccomp sandbox (src/kernel/sandbox.c): a PD that entered it cannot open files, make sockets,
 *   signal other processes, fork or map files, and can still allocate memory, make ppcalls and
 *   fault (the monitor still reports it); so is a PD of `hostkit run --sandbox` (the same filter,
 *   entered by libhostkit before init). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

/* Names of the hostkit memfds (without "/memfd:") in the text, sorted, one per line. */
static void add_name(char names[][64], int *n, const char *s)
{
    char name[64];
    if (sscanf(s, "/memfd:%63[^\n]", name) != 1)
        return;
    size_t len = strlen(name);
    if (!(len > 5 && !strcmp(name + len - 5, " (rw)")) && !(len > 4 && !strcmp(name + len - 4, " (r)")))
        name[strcspn(name, " ")] = 0; /* " (deleted)" */
    for (int i = 0; i < *n; i++)
        if (!strcmp(names[i], name))
            return;
    int at = *n;
    while (at > 0 && strcmp(names[at - 1], name) > 0) {
        strcpy(names[at], names[at - 1]);
        at--;
    }
    strcpy(names[at], name);
    (*n)++;
}

static char *joined(char names[][64], int n)
{
    static char buf[4096];
    buf[0] = 0;
    for (int i = 0; i < n; i++)
        strcat(strcat(buf, names[i]), "\n");
    return buf;
}

/* The hostkit memfds PID has mapped, each with " (rw)" or " (r)". */
static const char *mapped(long pid)
{
    char path[64], line[1024], names[64][64];
    int n = 0;
    snprintf(path, sizeof path, "/proc/%ld/maps", pid);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f)) {
        char *m = strstr(line, "/memfd:");
        char perms[8], with[128];
        if (m && !strncmp(m, "/memfd:hostkit-", 15) && sscanf(line, "%*s %7s", perms) == 1) {
            char name[64];
            sscanf(m, "/memfd:%63[^ \n]", name);
            snprintf(with, sizeof with, "/memfd:%s (%s)", name, perms[1] == 'w' ? "rw" : "r");
            add_name(names, &n, with);
        }
    }
    fclose(f);
    return joined(names, n);
}

/* The memfds PID holds a descriptor of (any name). */
static const char *held(long pid)
{
    char path[64], names[64][64];
    int n = 0;
    snprintf(path, sizeof path, "/proc/%ld/fd", pid);
    DIR *d = opendir(path);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char link[512], target[512];
        snprintf(link, sizeof link, "%s/%s", path, e->d_name);
        ssize_t k = readlink(link, target, sizeof target - 1);
        if (k <= 0)
            continue;
        target[k] = 0;
        add_name(names, &n, target);
    }
    closedir(d);
    return joined(names, n);
}

/* Reads stdout of the running monitor until LINES lines have come; fails at EOF. */
static void read_lines(int fd, char *buf, size_t cap, int lines)
{
    size_t len = 0;
    int seen = 0;
    while (seen < lines) {
        struct pollfd p = { fd, POLLIN, 0 };
        assert_int_equal(poll(&p, 1, RUN_SAFETY_LIMIT_SECONDS * 1000), 1);
        ssize_t k = read(fd, buf + len, cap - len - 1);
        assert_true(k > 0);
        for (ssize_t i = 0; i < k; i++)
            seen += buf[len + (size_t)i] == '\n';
        len += (size_t)k;
        buf[len] = 0;
    }
}

/* What fd N of PID is ("/dev/null", "pipe:[...]", "anon_inode:[eventfd]", ...), "" if none. */
static const char *fd_target(long pid, int n)
{
    static char target[512];
    char link[64];
    snprintf(link, sizeof link, "/proc/%ld/fd/%d", pid, n);
    ssize_t k = readlink(link, target, sizeof target - 1);
    target[k > 0 ? k : 0] = 0;
    return target;
}

/* Whether two processes share namespace KIND ("user", "pid", "mnt", "net"). */
static bool same_ns(long a, long b, const char *kind)
{
    char pa[64], pb[64], ta[64] = "", tb[64] = "";
    snprintf(pa, sizeof pa, "/proc/%ld/ns/%s", a, kind);
    snprintf(pb, sizeof pb, "/proc/%ld/ns/%s", b, kind);
    assert_true(readlink(pa, ta, sizeof ta - 1) > 0 && readlink(pb, tb, sizeof tb - 1) > 0);
    return !strcmp(ta, tb);
}

/* The seals of each hostkit memfd the monitor holds: every one sealed against shrinking and
 * growing, every configuration against writable mappings. Needs /proc/MONITOR/fd: as another
 * user than root the monitor's non-dumpability hides it, and this part is skipped. */
static void monitor_memfds_are_sealed(long mon)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/fd", mon);
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "# /proc/%ld/fd cannot be read (%s): the seals are not checked\n", mon, strerror(errno));
        return;
    }
    int memfds = 0, cfgs = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char link[600], target[512];
        snprintf(link, sizeof link, "%s/%s", path, e->d_name);
        ssize_t k = readlink(link, target, sizeof target - 1);
        if (k <= 0)
            continue;
        target[k] = 0;
        if (strncmp(target, "/memfd:hostkit-", 15))
            continue;
        int fd = open(link, O_RDONLY | O_CLOEXEC);
        assert_true(fd >= 0);
        int seals = fcntl(fd, F_GET_SEALS);
        close(fd);
        memfds++;
        if ((seals & (F_SEAL_SHRINK | F_SEAL_GROW)) != (F_SEAL_SHRINK | F_SEAL_GROW))
            fail_msg("%s is not sealed against shrinking (seals 0x%x)", target, seals);
        if (!strncmp(target, "/memfd:hostkit-cfg-", 19)) {
            cfgs++;
            if ((seals & (F_SEAL_FUTURE_WRITE | F_SEAL_SEAL)) != (F_SEAL_FUTURE_WRITE | F_SEAL_SEAL))
                fail_msg("%s is not sealed against writing (seals 0x%x)", target, seals);
        }
    }
    closedir(d);
    assert_int_equal(cfgs, 3);
    assert_true(memfds >= 10);
}

static void each_pd_holds_only_what_the_system_gives_it(void **state)
{
    (void)state;
    char search[512];
    snprintf(search, sizeof search, "%s/tests/systems/isolation", build_dir());
    int po[2], pe[2];
    assert_int_equal(pipe2(po, O_CLOEXEC), 0);
    assert_int_equal(pipe2(pe, O_CLOEXEC), 0);
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    fflush(NULL);
    pid_t mon = fork();
    assert_true(mon >= 0);
    if (mon == 0) {
        setpgid(0, 0);
        dup2(po[1], 1);
        dup2(pe[1], 2); /* --log: the note if PDs cannot have namespaces here, and the IPC lines */
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        /* the IRQ is due long after the test is done: it only keeps the system up */
        execl(hostkit_path(), hostkit_path(), "run", "--log", "--irq", "40@600", "--search-path", search,
              "tests/systems/isolation/isolation.system", (char *)NULL);
        _exit(127);
    }
    setpgid(mon, mon);
    close(po[1]);
    close(pe[1]);
    char out[4096];
    read_lines(po[0], out, sizeof out, 3);
    assert_string_equal(out, "a: up\nb: up\nc: up\n");
    long pid[3] = {pd_pid(mon, "a"), pd_pid(mon, "b"), pd_pid(mon, "c")};

    static const char *const want[3] = {
        "hostkit-cfg-a (r)\nhostkit-ctl-a (rw)\nhostkit-mr-a_only (rw)\nhostkit-sched (rw)\n"
        "hostkit-signal-0-a (rw)\nhostkit-signal-0-b (r)\n",
        "hostkit-cfg-b (r)\nhostkit-ctl-b (rw)\nhostkit-mr-bc (rw)\nhostkit-sched (rw)\n"
        "hostkit-signal-0-a (r)\nhostkit-signal-0-b (rw)\nhostkit-signal-1-b (rw)\nhostkit-signal-1-c (r)\n",
        "hostkit-cfg-c (r)\nhostkit-ctl-c (rw)\nhostkit-mr-bc (r)\nhostkit-sched (rw)\n"
        "hostkit-signal-1-b (r)\nhostkit-signal-1-c (rw)\n",
    };
    for (int i = 0; i < 3; i++) {
        char what[64];
        snprintf(what, sizeof what, "hostkit memfds mapped by %c", 'a' + i);
        assert_text_equal(what, want[i], mapped(pid[i]));
        /* libhostkit closes every memfd once mapped: no descriptor is left to map more */
        snprintf(what, sizeof what, "memfds held open by %c", 'a' + i);
        assert_text_equal(what, "", held(pid[i]));
        /* what it holds: stdin /dev/null, the monitor's stdout and stderr, the output pipe, and an
         * event fd of its own (no PD reads the monitor's) */
        assert_string_equal(fd_target(pid[i], 0), "/dev/null");
        assert_true(!strncmp(fd_target(pid[i], 6), "pipe:", 5));
        assert_string_equal(fd_target(pid[i], 7), "anon_inode:[eventfd]");
        assert_int_equal(proc_fd_count(pid[i]), 5);
    }
    char ev[3][64];
    for (int i = 0; i < 3; i++) {
        char link[64];
        snprintf(link, sizeof link, "/proc/%ld/fdinfo/7", pid[i]);
        char *info = read_file(link, NULL);
        /* "eventfd-id:" (Linux 6.0 on) tells event fds apart; every one has the same inode */
        const char *id = strstr(info, "eventfd-id:");
        snprintf(ev[i], sizeof ev[i], "%s", id ? id : "");
        if (!id)
            snprintf(ev[i], sizeof ev[i], "%c", 'a' + i); /* an older kernel: not checked */
        ev[i][strcspn(ev[i], "\n")] = 0;
        free(info);
    }
    assert_true(strcmp(ev[0], ev[1]) && strcmp(ev[1], ev[2]) && strcmp(ev[0], ev[2]));
    monitor_memfds_are_sealed(mon);
    /* its own namespaces, all four, unless this host allows none (and the monitor said so) */
    bool own = !same_ns(mon, pid[0], "user") && !same_ns(mon, pid[0], "pid") && !same_ns(mon, pid[0], "mnt") &&
               !same_ns(mon, pid[0], "net") && !same_ns(pid[0], pid[1], "pid") && !same_ns(pid[1], pid[2], "net");
    kill(mon, SIGTERM);
    int st;
    assert_int_equal(waitpid(mon, &st, 0), mon);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 128 + SIGTERM);
    kill(-mon, SIGKILL);
    while (waitpid(-mon, NULL, WNOHANG) > 0)
        ;
    char err[65536];
    ssize_t k, len = 0;
    while ((k = read(pe[0], err + len, sizeof err - 1 - (size_t)len)) > 0)
        len += k;
    err[len > 0 ? len : 0] = 0;
    bool said = contains(err, "hostkit: note: PDs run without");
    if (!own && !said)
        fail_msg("the PDs share the monitor's namespaces, and the monitor did not say why");
    if (said)
        fprintf(stderr, "# this host gives PDs no namespaces of their own:\n# %s", err);
    close(po[0]);
    close(pe[0]);
}

static const char sandbox_transcript[] = "server: init\n"
                                         "%s"
                                         "jailed: open /etc/passwd: refused (EPERM)\n"
                                         "jailed: socket: refused (EPERM)\n"
                                         "jailed: kill the monitor: refused (EPERM)\n"
                                         "jailed: fork: refused (EPERM)\n"
                                         "jailed: mmap a file descriptor: refused (EPERM)\n"
                                         "jailed: mmap anonymous memory: allowed\n"
                                         "jailed: malloc 4 MiB: allowed\n"
                                         "server: ppcall on channel 1, MR0 41\n"
                                         "jailed: ppcall: label 3, MR0 42\n"
                                         "jailed: crashing\n"
                                         "MON|ERROR: received message 0x00000006  badge: 0x0000000000000002  tcb cap: 0x000000000000000b\n"
                                         "MON|ERROR: faulting PD: jailed\n";

/* stdout up to and including the monitor's first fault line (the next has addresses). */
static void expect_sandbox_run(const struct run_result *r, const char *entering)
{
    char want[2048];
    snprintf(want, sizeof want, sandbox_transcript, entering);
    const char *mon = strstr(r->out, "MON|ERROR: faulting PD: jailed\n");
    assert_non_null(mon);
    char *head = strndup(r->out, (size_t)(mon - r->out) + strlen("MON|ERROR: faulting PD: jailed\n"));
    assert_text_equal("stdout of sandboxed", want, head);
    free(head);
    assert_true(contains(r->out, "MON|ERROR: hostkit: SIGSEGV (address not mapped)"));
}

static void sandboxed_pd_is_refused_host_calls_and_still_works(void **state)
{
    (void)state;
    struct run_result r;
    run_system(&r, "sandboxed", NULL);
    assert_exit(&r, 4);
    expect_sandbox_run(&r, "jailed: entering the sandbox: ok\n");
    run_result_free(&r);
}

static void run_sandbox_option_refuses_open(void **state)
{
    (void)state;
    struct run_result r;
    run_hostkit(&r, "--help", NULL);
    assert_true(contains(r.out, "--sandbox"));
    run_result_free(&r);
    run_system(&r, "sandboxed_by_monitor", "--sandbox", NULL);
    assert_exit(&r, 4);
    expect_sandbox_run(&r, "");
    run_result_free(&r);
}

/* A read-only map comes as a read-only descriptor, so even a host call cannot make it writable:
 * the owner's data stays as it wrote it. */
static void read_only_map_cannot_be_made_writable(void **state)
{
    (void)state;
    struct run_result r;
    run_system(&r, "ro_protect", NULL);
    assert_exit(&r, 0);
    assert_text_equal("stdout of ro_protect",
                      "owner: wrote 1234\n"
                      "reader: mprotect refused: Permission denied\n"
                      "owner: still 1234\n",
                      r.out);
    run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_pd_holds_only_what_the_system_gives_it),
        cmocka_unit_test(sandboxed_pd_is_refused_host_calls_and_still_works),
        cmocka_unit_test(run_sandbox_option_refuses_open),
        cmocka_unit_test(read_only_map_cannot_be_made_writable),
    };
    return cmocka_run_group_tests_name("isolation", tests, NULL, NULL);
}
