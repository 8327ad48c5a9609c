/* monitor_confine.c — a PD's process between fork and exec, where the monitor confines it before
 * any of the PD's code runs (a constructor included), in ways the PD cannot undo:
 *  - its own user, PID, mount and network namespaces, where the kernel lets an unprivileged user
 *    have them: the PD is PID 1 of a PID namespace with a /proc of its own, so it sees no other
 *    process (neither the monitor, whose descriptors hold every object of the system, nor another
 *    PD), can signal or trace none, and has no network; its user namespace maps the monitor's
 *    user and group to themselves (files look as they did), and gives it no capability outside;
 *  - no privileges: securebits that keep exec from granting root its capabilities, an empty
 *    bounding set and no capabilities (a PD of root keeps uid 0 and its file rights, nothing
 *    more), no new privileges;
 *  - only its own descriptors: stdin is /dev/null, its kernel objects are 3, 4, ... (start_pd()),
 *    stdout and stderr the monitor's; everything else is closed; a session of its own, so that a
 *    signal to its process group reaches no other process;
 *  - under --sandbox, the monitor's seccomp filter (monitor_seccomp.c), which survives exec.
 * The monitor itself is non-dumpable, so a process of the same user that can see it (a PD on a
 * host without namespaces) cannot open /proc/MONITOR/fd or read its memory either.
 *
 * The child shares the monitor's memory until exec (vfork's way, on a stack of its own): it
 * allocates nothing, and the filters are compiled beforehand.
 *
 * What the host allows is found once, by a probe (confine_setup()): a kernel without unprivileged
 * user namespaces (or a security module refusing them) leaves PDs in the monitor's namespaces,
 * with privileges dropped and the monitor non-dumpable; docs/security.md says what then holds. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/securebits.h>

#include "monitor/monitor.h"

#define NS_FLAGS (CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS)

/* The probe child's findings, as its exit status: PROBE_DONE + what worked, or + 8 and the low
 * bits of errno if namespaces were refused (any other status, a valgrind error's say, means
 * nothing worked). */
enum { PROBE_MAPS = 1, PROBE_PROC = 2, PROBE_NET = 4, PROBE_DONE = 64 };

static int write_text(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, text, strlen(text));
    int saved = errno;
    close(fd);
    errno = saved;
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* In a child just cloned into new namespaces: map our user and group to themselves. The maps are
 * files of /proc/self, which a non-dumpable process (the monitor's child) does not own: it is
 * dumpable for these three writes (holding by then only its own objects). */
static int map_ids(void)
{
    char map[64];
    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    int rc = write_text("/proc/self/setgroups", "deny");
    snprintf(map, sizeof map, "%u %u 1\n", M.uid, M.uid);
    if (rc == 0)
        rc = write_text("/proc/self/uid_map", map);
    snprintf(map, sizeof map, "%u %u 1\n", M.gid, M.gid);
    if (rc == 0)
        rc = write_text("/proc/self/gid_map", map);
    int saved = errno;
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    errno = saved;
    return rc;
}

/* ... and give it a /proc of its own PID namespace (the host's stays underneath, out of reach:
 * unmounting needs a capability the PD will not have). */
static int mount_own_proc(void)
{
    if (mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0) /* names ignored: a change of propagation */
        return -1;
    return mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
}

static pid_t clone_child(unsigned long flags)
{
    /* fork-like (no shared memory, no stack of its own): the child returns here with 0 */
    return (pid_t)syscall(SYS_clone, flags | SIGCHLD, NULL, NULL, NULL, 0);
}

/* Finds out what the PDs can have: a child unshares what a PD's clone would give it and makes the
 * same set-up, its own child checking what needs the PID namespace; a refusal ends only them.
 * (The monitor never makes a clone the kernel may refuse: under valgrind, whose fork path a failed
 * namespace clone derails, a run must survive a host without namespaces.) */
static void probe(void)
{
    M.confine = CONFINE_NONE;
    M.confine_why = "a new user namespace here has no rights (uid_map, network)";
    pid_t pid = clone_child(0);
    if (pid < 0) {
        M.confine_why = strerror(errno);
        return;
    }
    if (pid == 0) {
        if (unshare(NS_FLAGS) < 0)
            _exit(PROBE_DONE + 8 + (errno & 7)); /* refused: the reason's low bits, for the note */
        int found = map_ids() == 0 ? PROBE_MAPS : 0;
        pid_t init = found ? clone_child(0) : -1; /* PID 1 of the new PID namespace */
        if (init == 0)
            _exit(PROBE_DONE + (mount_own_proc() == 0 ? PROBE_PROC : 0) + (unshare(CLONE_NEWNET) == 0 ? PROBE_NET : 0));
        int st;
        if (init > 0 && waitpid(init, &st, 0) == init && WIFEXITED(st) && (WEXITSTATUS(st) & ~7) == PROBE_DONE)
            found |= WEXITSTATUS(st) & 7;
        _exit(PROBE_DONE + found);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 0;
    if ((code & ~15) != PROBE_DONE)
        return;
    if (code & 8) {
        M.confine_why = (code & 7) == (EPERM & 7) ? strerror(EPERM) : "unshare refused";
        return;
    }
    if (!(code & PROBE_MAPS) || !(code & PROBE_NET))
        return; /* a user namespace that cannot map us or have a network (a security module's
                 * restriction): PDs stay in ours */
    M.confine = code & PROBE_PROC ? CONFINE_FULL : CONFINE_NS;
    M.confine_why = M.confine == CONFINE_FULL ? NULL : "this host refuses a PID namespace its own /proc (the host's is shown)";
}

void confine_setup(void)
{
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    /* every channel direction and call slot is a memfd the monitor keeps: as many descriptors
     * as the hard limit allows */
    struct rlimit fds;
    if (getrlimit(RLIMIT_NOFILE, &fds) == 0 && fds.rlim_cur < fds.rlim_max) {
        fds.rlim_cur = fds.rlim_max;
        setrlimit(RLIMIT_NOFILE, &fds);
    }
    M.uid = (unsigned)geteuid();
    M.gid = (unsigned)getegid();
    M.null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (M.null_fd < 0)
        die("cannot open /dev/null: %s", strerror(errno));
    M.self_pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
    if (M.self_pidfd >= 0)
        fcntl(M.self_pidfd, F_SETFD, FD_CLOEXEC);
    probe();
    /* the filters name the PD's own pid (tgkill of itself only): compiled once, for a stand-in
     * the child replaces with its pid (seccomp_patch_self) */
    if (seccomp_compile(false, HK_SELF_STANDIN, M.runtime_filter, HK_FILTER_MAX, &M.runtime_filter_len) < 0 ||
        seccomp_compile(true, HK_SELF_STANDIN, M.exec_filter, HK_FILTER_MAX, &M.exec_filter_len) < 0)
        die("cannot compile the seccomp filters");
    if (M.confine != CONFINE_FULL && (M.sandbox || M.log))
        fprintf(stderr, "hostkit: note: PDs run without %s (%s); docs/security.md says what still holds\n",
                M.confine == CONFINE_NONE ? "namespaces of their own" : "a /proc of their own",
                M.confine_why);
}

/* No capabilities, none to gain by exec (root's included), none in the bounding set. Without the
 * capability to change them (an unprivileged user outside a user namespace) there are none to
 * drop, and the calls fail harmlessly. */
static void drop_privileges(void)
{
    prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
                                 SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
                                 SECBIT_NO_CAP_AMBIENT_RAISE | SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED,
          0, 0, 0);
    for (unsigned long cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
        prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct none[_LINUX_CAPABILITY_U32S_3] = {{0, 0, 0}};
    syscall(SYS_capset, &hdr, none);
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
}

/* The child: no stdio (its buffers are the monitor's copies), every failure a message on stderr
 * and an exit status the monitor reports as the PD's. */
static void child_fail(unsigned i, const char *what, int status) __attribute__((noreturn));
static void child_fail(unsigned i, const char *what, int status)
{
    char msg[256];
    int n = snprintf(msg, sizeof msg, "hostkit: PD '%s': %s: %s\n", pd_name((int)i), what, strerror(errno));
    if (n > 0 && write(2, msg, (size_t)(n < (int)sizeof msg ? n : (int)sizeof msg - 1)) < 0) {
        /* nothing more to say it with */
    }
    _exit(status);
}

static void confine_child(unsigned i, const int *fds, int nfds) __attribute__((noreturn));
static void confine_child(unsigned i, const int *fds, int nfds)
{
    const struct sdf_pd *sp = &M.sys.pds[M.pd[i].sdf];
    /* The PD process dies with the monitor; if the monitor is gone already, so is it. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    struct pollfd gone = {M.self_pidfd, POLLIN, 0};
    if (M.self_pidfd >= 0 && poll(&gone, 1, 0) != 0)
        _exit(1);
    /* its descriptors: fds[j] becomes 3 + j (by way of copies above every target, so none is
     * clobbered), stdin /dev/null, nothing else */
    int tmp[5 + 3 * HK_NCH + HK_MAX_MAPS + 1];
    if (dup2(M.null_fd, 0) < 0) /* first: /dev/null may be one of the targets below */
        child_fail(i, "cannot arrange its descriptors", 121);
    for (int j = 0; j < nfds; j++)
        tmp[j] = fcntl(fds[j], F_DUPFD, 3 + nfds);
    for (int j = 0; j < nfds; j++)
        if (tmp[j] < 0 || dup2(tmp[j], 3 + j) < 0)
            child_fail(i, "cannot arrange its descriptors", 121);
    syscall(SYS_close_range, 3 + nfds, ~0u, 0);
    /* a session and process group of its own: kill(0, ...) and a signal to the monitor's group
     * (which a PID namespace does not hide) reach only itself */
    setsid();
    /* --gdb's PD is gdbserver, which listens on a port of the host's loopback and starts the
     * image as its child, tracing it (monitor_debug.c): the host's network, no filter of ours */
    bool gdb = (int)i == M.gdb_pd;
    if (getpid() == 1) { /* PID 1: cloned into its own namespaces */
        if (map_ids() < 0)
            child_fail(i, "cannot map its user in its user namespace", 124);
        if (M.confine == CONFINE_FULL && mount_own_proc() < 0)
            child_fail(i, "cannot mount its own /proc", 124);
        if (!gdb && unshare(CLONE_NEWNET) < 0)
            child_fail(i, "cannot have its own network namespace", 124);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    drop_privileges();
    /* libhostkit's filter, for the PD to enter before init (kernel/sandbox.c), and the exec
     * filter, naming this process by its pid (1 in its own PID namespace) */
    struct hk_cfg *cfg = M.pd[i].cfg;
    uint64_t exec_filter[HK_FILTER_MAX];
    memcpy(cfg->filter, M.runtime_filter, M.runtime_filter_len * sizeof *cfg->filter);
    cfg->filter_len = seccomp_patch_self(cfg->filter, M.runtime_filter_len, getpid()) == 0 ? M.runtime_filter_len : 0;
    memcpy(exec_filter, M.exec_filter, M.exec_filter_len * sizeof *exec_filter);
    if (gdb)
        cfg->sandbox = 0; /* its image is gdbserver's child, not this process */
    if (M.sandbox && !gdb &&
        (seccomp_patch_self(exec_filter, M.exec_filter_len, getpid()) < 0 ||
         seccomp_enter(exec_filter, M.exec_filter_len) < 0))
        child_fail(i, "cannot enter the sandbox", 123);
    char *argv[] = {(char *)sp->name, NULL};
    if (gdb)
        execv(M.gdb_argv[0], M.gdb_argv); /* --gdb: under gdbserver (monitor_debug.c) */
    execv(sp->image_resolved, argv);
    char what[160];
    snprintf(what, sizeof what, "cannot execute '%s'", sp->image_resolved);
    child_fail(i, what, 127);
}

/* The child runs on a stack of its own, in the monitor's memory, while the monitor waits for its
 * exec (vfork's way: nothing of the monitor's is copied, and nothing it does allocates). */
struct spawn {
    unsigned i;
    const int *fds;
    int nfds;
};

#ifdef __SANITIZE_ADDRESS__
/* Under AddressSanitizer the child cannot share the monitor's memory: its frames would poison the
 * shadow of the static stack, which the next child then runs on. There it is a fork (the clone
 * system call without a stack, copying the monitor), with the same namespaces. */
static pid_t spawn_process(const struct spawn *sp, int flags)
{
    pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)(SIGCHLD | flags), NULL, NULL, NULL, 0UL);
    if (pid == 0)
        confine_child(sp->i, sp->fds, sp->nfds);
    return pid;
}
#else
static int spawned(void *arg)
{
    const struct spawn *sp = arg;
    confine_child(sp->i, sp->fds, sp->nfds);
}

static pid_t spawn_process(struct spawn *sp, int flags)
{
    static char stack[64 << 10] __attribute__((aligned(64)));
    return clone(spawned, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD | flags, sp);
}
#endif

pid_t confine_spawn(unsigned i, const int *fds, int nfds)
{
    struct spawn sp = {i, fds, nfds};
    pid_t pid = -1;
    if (M.confine != CONFINE_NONE)
        pid = spawn_process(&sp, NS_FLAGS);
    if (pid < 0) /* namespaces refused (none here, or a limit reached): the monitor's */
        pid = spawn_process(&sp, 0);
    if (pid < 0)
        die("cannot start PD '%s': %s", pd_name((int)i), strerror(errno));
    return pid;
}
