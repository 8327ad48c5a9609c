/* test_attacks_pd.c — hostile PDs (docs/security.md, issue 15): each attack is a test system
 * whose attacking PD prints what it achieved and whose victims print what they received; the
 * test fails if the attack succeeds. Each was checked against the runtime before the isolation
 * work (main at 8af97fd), where every one of them succeeds.
 *   - attack_proc: /proc of the monitor (every object of the system) and of the other PDs, from a
 *     constructor, plain, with --sandbox, on a host refusing namespaces, and as an unprivileged
 *     user;
 *   - attack_cfg: a PD rewriting its configuration (rights, sandbox flag) or truncating its
 *     kernel objects under the monitor;
 *   - attack_notify: notify="false" — the runtime's signal function, the channel memory, the
 *     scheduler page's hints, libmicrokit's mask;
 *   - attack_sandbox: a sandboxed child clearing its sandbox flag and restarted afresh, and a PD
 *     with its own hostkit_sandbox_enter; attack_hostprog: an image that is any host program;
 *   - attack_trace: trace events with channel numbers past every array; elf_wrap: an image whose
 *     section offset plus size wraps around;
 *   - attack_stdin: a PD reading the monitor's --irq-stdin input; attack_event: a PD reading the
 *     monitor's event fd under --smp; attack_control: a PD connecting to the control channel's
 *     socket; attack_proc's last try: a PD signalling its process group (the monitor's, but for
 *     a session of its own).
 * A host refusing unprivileged user namespaces is stood for by a seccomp filter on the monitor
 * that refuses them (this program, run as "--deny-namespaces PROGRAM ARGS..."); an unprivileged
 * user by uid 65534 ("--as-nobody PROGRAM ARGS...", when run as root). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

static char self_exe[4096];

/* ---- the two wrappers ---- */
/* clone/unshare asking for a user namespace fail with EPERM, as where the kernel or a security
 * module allows none; clone3 (whose flags a filter cannot see) is "not implemented". */
static int deny_namespaces(void)
{
    scmp_filter_ctx c = seccomp_init(SCMP_ACT_ALLOW);
    if (!c || seccomp_rule_add(c, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(clone), 1,
                               SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER)) < 0 ||
        seccomp_rule_add(c, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(unshare), 1,
                         SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER)) < 0 ||
        seccomp_rule_add(c, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0) < 0 || seccomp_load(c) < 0)
        return -1;
    seccomp_release(c);
    return 0;
}

static int become_nobody(void)
{
    return setgroups(0, NULL) == 0 && setresgid(65534, 65534, 65534) == 0 && setresuid(65534, 65534, 65534) == 0
               ? 0
               : -1;
}

static const char *const deny_prefix[] = {self_exe, "--deny-namespaces", NULL};
static const char *const nobody_prefix[] = {self_exe, "--as-nobody", NULL};

/* Whether uid 65534 can run hostkit and read the tests here (the worktree may be private). */
static bool nobody_can_run(void)
{
    if (geteuid() != 0)
        return false;
    pid_t pid = fork();
    if (pid == 0) {
        char system[512];
        snprintf(system, sizeof system, "%s/tests/systems/attack_proc/intruder.elf", build_dir());
        _exit(become_nobody() == 0 && access(hostkit_path(), X_OK) == 0 && access(system, R_OK) == 0 &&
                      access("tests/systems/attack_proc/attack_proc.system", R_OK) == 0
                  ? 0
                  : 1);
    }
    int st;
    return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* Runs system SYS with ARGS under PREFIX (NULL: none); fills *l, returns the exit status. */
static int run(struct live *l, const char *sys, const char *const *prefix, const char *const *args)
{
    live_start(l, sys, prefix, args, false);
    return live_finish(l);
}

static void expect_status(const struct live *l, int got, int want)
{
    if (got != want) {
        fprintf(stderr, "# exit status %d, not %d\n# stdout:\n%s# stderr:\n%s", got, want, l->text, l->errtext);
        fail_msg("unexpected exit status");
    }
}

static void expect_pds(const char *what, const char *want, const char *out)
{
    char *pds = without_monitor_lines(out);
    assert_text_equal(what, want, pds);
    free(pds);
}

/* ---- /proc ---- */
/* How far the monitor confined the PDs, from its note (printed with --log and --sandbox). */
enum confinement { FULL, NO_PROC, NONE };
static enum confinement confinement_of(const struct live *l)
{
    if (contains(l->errtext, "hostkit: note: PDs run without namespaces of their own"))
        return NONE;
    if (contains(l->errtext, "hostkit: note: PDs run without a /proc of their own"))
        return NO_PROC;
    return FULL;
}

/* SANDBOXED: libhostkit's filter is in force from init on, and the monitor's from exec: listing
 * /proc is refused then. */
static void expect_intruder_got_nothing(const struct live *l, const char *how, bool sandboxed)
{
    enum confinement c = confinement_of(l);
    char want[1024];
    snprintf(want, sizeof want,
             "bob: up\n"
             "alice: notify bob\n"
             "bob: notified by channel 1\n"
             "intruder: the monitor is %s\n"
             "intruder: hostkit memfds of the monitor opened: 0\n"
             "intruder: hostkit memfds of the other PDs opened: 0\n"
             "intruder: pages written over: 0\n"
             "intruder: processes seen besides itself: %s\n"
             "intruder: signal its process group: %s\n", /* a group of its own: the monitor lives on */
             c == NONE ? "visible" : "not visible", c == FULL || sandboxed ? "none" : "some",
             sandboxed ? "refused" : "done");
    char what[128];
    snprintf(what, sizeof what, "stdout of attack_proc (%s)", how);
    expect_pds(what, want, l->text);
    fprintf(stderr, "# %s: %s\n", how, c == FULL ? "own namespaces and /proc" : c == NO_PROC ? "own namespaces, host /proc" : "no namespaces");
}

static void proc_of_monitor_and_pds_is_out_of_reach(void **state)
{
    (void)state;
    struct live l;
    expect_status(&l, run(&l, "attack_proc", NULL, (const char *const[]){"--log", NULL}), 0);
    expect_intruder_got_nothing(&l, "plain", false);
    /* as root here, the host allows namespaces: they must have been used */
    if (geteuid() == 0 && confinement_of(&l) != FULL)
        fprintf(stderr, "# note: running as root, yet the monitor did not confine PDs fully:\n%s", l.errtext);
    live_free(&l);
}

static void proc_is_out_of_reach_sandboxed(void **state)
{
    (void)state;
    struct live l;
    expect_status(&l, run(&l, "attack_proc", NULL, (const char *const[]){"--sandbox", NULL}), 0);
    expect_intruder_got_nothing(&l, "--sandbox", true);
    live_free(&l);
}

/* Without namespaces a PD sees the monitor and the other PDs; all are non-dumpable and the PD has
 * no capability (not even as root), so their descriptors stay out of its reach all the same. */
static void proc_is_out_of_reach_without_namespaces(void **state)
{
    (void)state;
    struct live l;
    expect_status(&l, run(&l, "attack_proc", deny_prefix, (const char *const[]){"--log", NULL}), 0);
    assert_int_equal(confinement_of(&l), NONE); /* the fallback was taken, and said so */
    expect_intruder_got_nothing(&l, "namespaces refused", false);
    live_free(&l);
    expect_status(&l, run(&l, "attack_proc", deny_prefix, (const char *const[]){"--sandbox", NULL}), 0);
    expect_intruder_got_nothing(&l, "namespaces refused, --sandbox", true);
    live_free(&l);
}

static void proc_is_out_of_reach_as_unprivileged_user(void **state)
{
    (void)state;
    struct live l;
    expect_status(&l, run(&l, "attack_proc", nobody_prefix, (const char *const[]){"--log", NULL}), 0);
    expect_intruder_got_nothing(&l, "as uid 65534", false);
    live_free(&l);
    expect_status(&l, run(&l, "attack_proc", nobody_prefix, (const char *const[]){"--sandbox", NULL}), 0);
    expect_intruder_got_nothing(&l, "as uid 65534, --sandbox", true);
    live_free(&l);
}

/* ---- the PD's own configuration and objects ---- */
static const char cfg_transcript[] = "tamper: found its configuration: yes\n"
                                     "tamper: map it writable: refused\n"
                                     "tamper: make its mapping writable: refused\n"
                                     "tamper: truncate its kernel objects: refused\n"
                                     "tamper: write its configuration through /proc/self/mem: refused\n"
                                     "tamper: ppcall on channel 1, MR0 41\n"
                                     "witness: ppcall: label 4, MR0 42\n";

static void rights_and_objects_cannot_be_rewritten(void **state)
{
    (void)state;
    struct live l;
    expect_status(&l, run(&l, "attack_cfg", NULL, NULL), 0);
    expect_pds("stdout of attack_cfg", cfg_transcript, l.text);
    live_free(&l);
    expect_status(&l, run(&l, "attack_cfg", deny_prefix, NULL), 0);
    expect_pds("stdout of attack_cfg (namespaces refused)", cfg_transcript, l.text);
    live_free(&l);
}

/* ---- notify="false" ---- */
static void notify_false_is_enforced(void **state)
{
    (void)state;
    struct live l;
    expect_status(&l, run(&l, "attack_notify", NULL, NULL), 0);
    /* the last try invokes an empty slot: seL4_InvalidCapability and the debug kernel's line, as
     * on seL4 (its line is left out here, and looked at below) */
    char *pds = without_monitor_lines(l.text);
    const char *kernel_line = strstr(pds, "\"mute\" @");
    assert_non_null(kernel_line);
    assert_true(contains(kernel_line, "Attempted to invoke a null cap #11."));
    char *filtered = calloc(1, strlen(pds) + 1);
    assert_non_null(filtered);
    for (const char *p = pds; *p;) {
        size_t n = strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n');
        const char *q = strstr(p, "\"mute\" @");
        if (!(q && q < p + n))
            strncat(filtered, p, n);
        p += n;
    }
    assert_text_equal("stdout of attack_notify",
                      "listener: up\n"
                      "mute: call the runtime's signal function on channel 1\n"
                      "mute: wrote over 0 writable pages of its\n" /* it holds none for that channel */
                      "mute: set libmicrokit's mask bit and notify\n"
                      "mute: done\n"
                      "pinger: notify listener\n"
                      "listener: notified by channel 2\n",
                      filtered);
    free(filtered);
    free(pds);
    live_free(&l);
}

/* ---- the sandbox ---- */
static const char sandbox_probes[] = "%s: socket: refused\n"
                                     "%s: create a file: refused\n"
                                     "%s: fork: refused\n"
                                     "%s: signal process 1: refused\n"
                                     "%s: read /etc/passwd: %s\n";

static void sandbox_survives_restart_and_bypass(void **state)
{
    (void)state;
    char escapee[512], rogue[512], want[2048];
    snprintf(escapee, sizeof escapee, sandbox_probes, "escapee", "escapee", "escapee", "escapee", "escapee", "refused");
    /* rogue never enters libhostkit's filter: the monitor's lets the loader read files */
    snprintf(rogue, sizeof rogue, sandbox_probes, "rogue", "rogue", "rogue", "rogue", "rogue", "allowed");
    snprintf(want, sizeof want,
             "warden: up\n"
             "%s"
             "escapee: clear the sandbox flag: refused\n"
             "escapee: ending its process\n"
             "warden: child 1 ended; restarting it\n"
             "%s" /* a new process: confined all the same */
             "escapee: clear the sandbox flag: refused\n"
             "escapee: ending its process\n"
             "warden: child 1 ended again; stopping it\n"
             "%s",
             escapee, escapee, rogue);
    struct live l;
    expect_status(&l, run(&l, "attack_sandbox", NULL, (const char *const[]){"--sandbox", NULL}), 0);
    expect_pds("stdout of attack_sandbox", want, l.text);
    live_free(&l);
    expect_status(&l, run(&l, "attack_sandbox", deny_prefix, (const char *const[]){"--sandbox", NULL}), 0);
    expect_pds("stdout of attack_sandbox (namespaces refused)", want, l.text);
    live_free(&l);
}

static void host_program_image_is_confined(void **state)
{
    (void)state;
    struct live l;
    expect_status(&l, run(&l, "attack_hostprog", NULL, (const char *const[]){"--sandbox", NULL}), 4);
    assert_lines_in_order(l.text, "hostprog: socket: refused", "hostprog: create a file: refused",
                          "hostprog: fork: refused", "hostprog: signal its parent: refused");
    /* it ends by itself (under SANITIZE=1 with status 1: LeakSanitizer's check at exit needs
     * calls the filter refuses) */
    assert_true(contains(l.text, "MON|ERROR: hostkit: PD exited with status "));
    live_free(&l);
}

/* ---- what the monitor reads: trace buffers, images ---- */
static void hostile_trace_events_cannot_hurt_the_monitor(void **state)
{
    (void)state;
    char path[] = "/tmp/hostkit-attack-trace-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    struct live l;
    expect_status(&l, run(&l, "attack_trace", NULL, (const char *const[]){"--trace", path, NULL}), 0);
    expect_pds("stdout of attack_trace", "tracer: wrote 104 events of its own\ntracer: ppcall: label 7\n", l.text);
    live_free(&l);
    size_t len;
    char *json = read_file(path, &len);
    unlink(path);
    assert_true(!strncmp(json, "{\"displayTimeUnit\"", 18));
    assert_true(len > 4 && !strcmp(json + len - 4, "\n]}\n"));
    /* what was real is there (the ppcall and its reply), nothing of the made-up events */
    assert_non_null(strstr(json, "\"name\":\"ppcall\""));
    assert_non_null(strstr(json, "\"name\":\"protected(1)\""));
    assert_null(strstr(json, "\"channel\":62"));
    assert_null(strstr(json, "\"channel\":1000"));
    assert_null(strstr(json, "\"channel\":4294967295"));
    free(json);
}

/* A copy of a real PD image whose .symtab section starts 64 KiB below the top of the address
 * space and is 64 KiB + 64 bytes long: offset plus size wraps around to 64. */
static void write_wrapped_image(const char *dir)
{
    char from[512], to[600];
    snprintf(from, sizeof from, "%s/tests/systems/attack_trace/echo.elf", build_dir());
    size_t len;
    char *img = read_file(from, &len);
    Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
    assert_true(len > sizeof *eh && eh->e_shoff + (size_t)eh->e_shnum * sizeof(Elf64_Shdr) <= len);
    Elf64_Shdr *sh = (Elf64_Shdr *)(img + eh->e_shoff);
    bool patched = false;
    for (unsigned i = 0; i < eh->e_shnum; i++)
        if (sh[i].sh_type == SHT_SYMTAB) {
            sh[i].sh_offset = 0xffffffffffff0000ull;
            sh[i].sh_size = 0x10040;
            patched = true;
        }
    assert_true(patched);
    snprintf(to, sizeof to, "%s/wrapped.elf", dir);
    FILE *f = fopen(to, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(img, 1, len, f), len);
    fclose(f);
    chmod(to, 0755);
    free(img);
}

static void image_with_wrapping_offsets_is_refused(void **state)
{
    (void)state;
    char dir[] = "/tmp/hostkit-elf-wrap-XXXXXX";
    assert_non_null(mkdtemp(dir));
    write_wrapped_image(dir);
    for (int cmd = 0; cmd < 2; cmd++) {
        char *argv[] = {(char *)hostkit_path(), cmd ? "run" : "check", "--search-path", dir,
                        "tests/systems/elf_wrap/elf_wrap.system", NULL};
        struct run_result r;
        run_command(&r, argv);
        if (r.status != 1)
            run_result_dump(&r);
        assert_int_equal(r.status, 1);
        char want[1024];
        snprintf(want, sizeof want,
                 "Error: program image '%s/wrapped.elf' of protection domain 'wrapped' is not a valid ELF file: "
                 "section ",
                 dir);
        assert_true(!strncmp(r.err, want, strlen(want)));
        assert_true(contains(r.err, "(offset 0xffffffffffff0000, size 0x10040) lies outside the file"));
        run_result_free(&r);
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* ---- the monitor's descriptors ---- */
static void pd_stdin_is_not_the_monitors(void **state)
{
    (void)state;
    struct live l;
    live_start(&l, "attack_stdin", NULL, NULL, true);
    live_line(&l, "thief: listening");
    live_irq(&l, "listener:4"); /* while the thief reads its stdin */
    live_line(&l, "listener: IRQ 1 on channel 4");
    live_irq(&l, "listener:4");
    live_line(&l, "listener: IRQ 2 on channel 4");
    expect_status(&l, live_finish(&l), 0);
    expect_pds("stdout of attack_stdin",
               "thief: its stdin is /dev/null: yes\n"
               "thief: listening\n"
               "thief: took 0 bytes of the monitor's input\n"
               "listener: up\n"
               "listener: IRQ 1 on channel 4\n"
               "listener: IRQ 2 on channel 4\n",
               l.text);
    live_free(&l);
}

static void pd_cannot_take_the_monitors_events(void **state)
{
    (void)state;
    struct live l;
    expect_status(&l, run(&l, "attack_event", NULL, (const char *const[]){"--smp", "--cores", "2", NULL}), 0);
    char *pds = without_monitor_lines(l.text);
    assert_true(has_line(pds, "thief: holds an event fd: yes"));
    assert_true(has_line(pds, "thief: took 0 events"));
    assert_true(has_line(pds, "victim: 2000 requests answered within two seconds: yes"));
    free(pds);
    live_free(&l);
}

/* ---- the control channel ---- */
static void control_channel_is_not_a_pds(void **state)
{
    (void)state;
    char path[108];
    snprintf(path, sizeof path, "/tmp/hostkit-attack-control-%d.sock", (int)getpid());
    struct live l;
    live_start(&l, "attack_control", NULL, (const char *const[]){"--control", path, NULL}, false);
    live_line(&l, "hijacker: found control sockets: ");
    /* now the test, the channel's rightful user: it ends the run */
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
    assert_true(s >= 0 && connect(s, (struct sockaddr *)&sa, sizeof sa) == 0);
    assert_int_equal(write(s, "quit\n", 5), 5);
    char reply[16] = "";
    assert_true(read(s, reply, sizeof reply - 1) > 0);
    assert_true(!strncmp(reply, "ok", 2));
    close(s);
    expect_status(&l, live_finish(&l), 0);
    unlink(path);
    expect_pds("stdout of attack_control",
               "victim: up\n"
               "bystander: up\n"
               "hijacker: found control sockets: yes; answered: 0\n",
               l.text);
    assert_true(contains(l.errtext, "hostkit: --control: a connection from a PD's process"));
    live_free(&l);
}

int main(int argc, char **argv)
{
    if (argc > 2 && (!strcmp(argv[1], "--deny-namespaces") || !strcmp(argv[1], "--as-nobody"))) {
        if ((argv[1][2] == 'd' ? deny_namespaces() : become_nobody()) < 0) {
            perror(argv[1]);
            return 126;
        }
        execv(argv[2], argv + 2);
        perror(argv[2]);
        return 127;
    }
    ssize_t n = readlink("/proc/self/exe", self_exe, sizeof self_exe - 1);
    if (n <= 0)
        return 1;
    self_exe[n] = 0;
    struct CMUnitTest tests[] = {
        cmocka_unit_test(proc_of_monitor_and_pds_is_out_of_reach),
        cmocka_unit_test(proc_is_out_of_reach_sandboxed),
        cmocka_unit_test(proc_is_out_of_reach_without_namespaces),
        cmocka_unit_test(proc_is_out_of_reach_as_unprivileged_user),
        cmocka_unit_test(rights_and_objects_cannot_be_rewritten),
        cmocka_unit_test(notify_false_is_enforced),
        cmocka_unit_test(sandbox_survives_restart_and_bypass),
        cmocka_unit_test(host_program_image_is_confined),
        cmocka_unit_test(hostile_trace_events_cannot_hurt_the_monitor),
        cmocka_unit_test(image_with_wrapping_offsets_is_refused),
        cmocka_unit_test(pd_stdin_is_not_the_monitors),
        cmocka_unit_test(pd_cannot_take_the_monitors_events),
        cmocka_unit_test(control_channel_is_not_a_pds),
    };
    skip_test_if(&tests[3], strstr(hostkit_path(), "valgrind")
                                ? "under VALGRIND=1: uid 65534 cannot write the builder's valgrind logs"
                            : !nobody_can_run() ? "not root, or uid 65534 cannot reach hostkit and the tests here"
                                                : NULL);
    return cmocka_run_group_tests_name("attacks_pd", tests, NULL, NULL);
}
