/* monitor_seccomp.c — the seccomp filters of `hostkit run --sandbox`, compiled with Debian's
 * libseccomp (which resolves system-call names for the host's architecture, compares 64-bit
 * arguments whole, and kills a call through another ABI, x32 or int 0x80, whose numbers the
 * filter would misread). Two, one inside the other:
 *  - the exec filter, entered by the PD's process right before exec (monitor_confine.c) with no
 *    new privileges, so it holds from the PD's first instruction and for good: the runtime's list
 *    below, plus what the dynamic loader, the C library's start and a sanitizer runtime need to
 *    load the image — exec itself, opening files for reading only, mapping them, mprotect, thread
 *    and limit queries. It refuses writing, creating or removing files, sockets, signals to other
 *    processes, new processes and threads, tracing, mounts, namespaces, keys, BPF.
 *  - the runtime filter, which libhostkit enters before init (kernel/sandbox.c), compiled here
 *    into the PD's read-only configuration: what the Microkit API needs and nothing else —
 *    futexes, reads and writes of descriptors it holds, anonymous memory, time, yielding, its own
 *    fault handling (tgkill of itself only). No open at all, no new mapping of a file, no
 *    mprotect (a read-only region stays so).
 * A refused call fails with EPERM rather than killing the PD: a PD written for seL4 makes no host
 * calls, so a refusal only meets a host-only library call, which can report it. The lists were
 * measured with strace (Debian 12: glibc 2.36, GCC 12's ASan) on the test systems, plain and
 * sanitized, and with the monitor under valgrind, whose exec checks the image with statx;
 * faccessat and readlinkat are the same calls on architectures without access and readlink. */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "monitor/monitor.h"

static const char *const runtime_calls[] = {
    "futex", "read", "write", "writev", "close", "fstat", "newfstatat", "lseek",
    "brk", "munmap", "mremap", "madvise",
    "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack",
    "getpid", "gettid", "getppid", "clock_gettime", "clock_getres", "gettimeofday", "time",
    "nanosleep", "clock_nanosleep", "sched_yield", "getrandom", "restart_syscall", "exit", "exit_group",
};

/* Loading an image: ld.so, libc's start, libhostkit's boot (its mappings, /proc/self/maps), ASan. */
static const char *const loader_calls[] = {
    "execve", "access", "faccessat", "faccessat2", "pread64", "mprotect", "arch_prctl",
    "set_tid_address", "set_robust_list", "rseq", "readlink", "readlinkat", "statx",
};

static int add_list(scmp_filter_ctx ctx, const char *const *names, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        int nr = seccomp_syscall_resolve_name(names[k]);
        if (nr == __NR_SCMP_ERROR)
            continue; /* not a call of this architecture */
        if (seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0) < 0)
            return -1;
    }
    return 0;
}

/* The kill action for a call through another ABI: the whole process where the kernel can (libseccomp
 * finds out; under valgrind, which has no seccomp(2), it cannot ask), else the thread, which for a
 * PD is one and the same. */
static uint32_t kill_action(void) { return seccomp_api_get() >= 3 ? SCMP_ACT_KILL_PROCESS : SCMP_ACT_KILL; }

static scmp_filter_ctx runtime_rules(int32_t self)
{
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
    if (!ctx)
        return NULL;
    const scmp_datum_t me = (scmp_datum_t)(uint32_t)self;
    if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, kill_action()) < 0 ||
        add_list(ctx, runtime_calls, sizeof runtime_calls / sizeof *runtime_calls) < 0 ||
        /* tgkill / tkill: this process only (raise() after a fault); its main thread's tid is
         * its pid */
        seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1, SCMP_A0(SCMP_CMP_EQ, me)) < 0 ||
        seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tkill), 1, SCMP_A0(SCMP_CMP_EQ, me)) < 0) {
        seccomp_release(ctx);
        return NULL;
    }
    return ctx;
}

/* The exec filter's rules beyond the runtime's. */
static int loader_rules(scmp_filter_ctx ctx)
{
    /* opening for reading only: no write access, no creation, no truncation */
    const scmp_datum_t writes = O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND;
    int rc = add_list(ctx, loader_calls, sizeof loader_calls / sizeof *loader_calls);
    if (rc == 0)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 0);
    if (rc == 0)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1, SCMP_A2(SCMP_CMP_MASKED_EQ, writes, 0));
    if (rc == 0 && seccomp_syscall_resolve_name("open") != __NR_SCMP_ERROR)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(open), 1, SCMP_A1(SCMP_CMP_MASKED_EQ, writes, 0));
    /* limits: its own only (ASan lowers its core size), and never past the hard limit: the kernel
     * sees to that */
    if (rc == 0)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prlimit64), 1, SCMP_A0(SCMP_CMP_EQ, 0));
    /* prctl: its own dumpability, no-new-privs, names of its memory (ASan); and entering a filter
     * (libhostkit's), which can only refuse more */
    static const int prctls[] = {PR_SET_DUMPABLE, PR_GET_DUMPABLE, PR_SET_NO_NEW_PRIVS, PR_GET_NO_NEW_PRIVS,
                                 PR_SET_VMA, PR_GET_NAME, PR_SET_NAME, PR_SET_SECCOMP};
    for (size_t k = 0; rc == 0 && k < sizeof prctls / sizeof *prctls; k++)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)prctls[k]));
    if (rc == 0)
        rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(seccomp), 1,
                              SCMP_A0(SCMP_CMP_EQ, SECCOMP_SET_MODE_FILTER));
    return rc;
}

int seccomp_compile(bool exec_filter, int32_t self, uint64_t *prog, uint32_t max, uint32_t *len)
{
    scmp_filter_ctx ctx = runtime_rules(self);
    if (!ctx)
        return -1;
    int rc = exec_filter ? loader_rules(ctx)
                         /* mmap: anonymous only (the kernel then ignores the descriptor), so no
                          * file is mapped anew */
                         : seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(mmap), 1,
                                            SCMP_A3(SCMP_CMP_MASKED_EQ, MAP_ANONYMOUS, MAP_ANONYMOUS));
    /* libseccomp 2.5 exports to a descriptor only */
    int fd = rc < 0 ? -1 : memfd_create("hostkit-filter", MFD_CLOEXEC);
    rc = fd >= 0 && seccomp_export_bpf(ctx, fd) == 0 ? 0 : -1;
    seccomp_release(ctx);
    off_t bytes = rc == 0 ? lseek(fd, 0, SEEK_END) : -1;
    if (bytes <= 0 || bytes % 8 || (uint64_t)bytes / 8 > max || pread(fd, prog, (size_t)bytes, 0) != bytes)
        rc = -1;
    else
        *len = (uint32_t)(bytes / 8);
    if (fd >= 0)
        close(fd);
    return rc;
}

int seccomp_enter(const uint64_t *prog, uint32_t len)
{
    /* prctl rather than seccomp(2): the same filter, and valgrind, under which the monitor's child
     * runs until exec, has the one and not the other */
    struct sock_fprog fprog = {(unsigned short)len, (struct sock_filter *)(uintptr_t)prog};
    if (len == 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0) < 0)
        return -1;
    return 0;
}

int seccomp_patch_self(uint64_t *prog, uint32_t len, int32_t self)
{
    /* struct sock_filter: code (16 bits), jt, jf (8 each), k (32): the comparisons' constant */
    int found = 0;
    for (uint32_t n = 0; n < len; n++) {
        struct sock_filter *f = (struct sock_filter *)&prog[n];
        if (f->k == HK_SELF_STANDIN) {
            f->k = (uint32_t)self;
            found++;
        }
    }
    return found ? 0 : -1; /* libseccomp may share one comparison between tgkill and tkill */
}
