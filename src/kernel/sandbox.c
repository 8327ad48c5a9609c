/* sandbox.c — `hostkit run --sandbox`: a seccomp-BPF allow-list that a PD enters right before
 * init(), once libhostkit has mapped its kernel objects and regions. From then on the PD can do
 * what the Microkit API needs — futexes, writes to the descriptors it holds (debug output, the
 * monitor's event fd), memory management, time, yielding, its own fault handling — and nothing
 * else: no open, no exec, no network, no signals to other processes, no new mappings of files.
 *
 * A forbidden call fails with EPERM (SECCOMP_RET_ERRNO) instead of killing the PD: a PD written
 * for seL4 makes no host calls at all, so a refusal only ever meets a host-only library call,
 * which can then report it; an error is easier to diagnose than a SIGSYS. A call from another
 * system-call ABI (x32, or i386 via int 0x80) kills the process, since the filter would read its
 * numbers wrongly. Threads are not allowed (clone is refused): a PD is one thread, as on seL4.
 *
 * The list (measured with strace on examples/ipc and the test systems, and from libhostkit's
 * code): futex, read, write, writev, close, fstat/newfstatat (stdio's first use), lseek,
 * brk, mmap (anonymous only), munmap, mremap, madvise, rt_sigaction, rt_sigprocmask, rt_sigreturn,
 * sigaltstack, tgkill/tkill (only to itself: raise() after a fault), getpid, gettid, getppid,
 * clock_gettime, clock_getres, gettimeofday, time, nanosleep, clock_nanosleep, sched_yield,
 * getrandom, restart_syscall, exit, exit_group. mprotect is refused: the only mappings that matter
 * are shared ones, and a PD must not turn its read-only region writable. */
#include <errno.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

int hostkit_sandbox_enter(void);

#if defined(__x86_64__)
#define HK_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define HK_AUDIT_ARCH AUDIT_ARCH_AARCH64
#elif defined(__riscv) && __riscv_xlen == 64
#define HK_AUDIT_ARCH AUDIT_ARCH_RISCV64
#endif

#define NR_OFF offsetof(struct seccomp_data, nr)
#define ARCH_OFF offsetof(struct seccomp_data, arch)
#define ARG_LO(i) offsetof(struct seccomp_data, args[i])

#define ALLOW_NR(nr) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

int hostkit_sandbox_enter(void)
{
#ifndef HK_AUDIT_ARCH
    errno = ENOSYS;
    return -1;
#else
    const __u32 self = (__u32)getpid();
    struct sock_filter f[] = {
        /* the right ABI, or death */
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARCH_OFF),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, HK_AUDIT_ARCH, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF),
#if defined(__x86_64__)
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u /* __X32_SYSCALL_BIT */, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
#endif
        /* mmap: anonymous only (the kernel then ignores the descriptor), so no file is mapped anew */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mmap, 0, 4),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(3)),
        BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, MAP_ANONYMOUS, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
        /* tgkill / tkill: only this process (raise() after a fault) */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_tgkill, 0, 4),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(0)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, self, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_tkill, 0, 4),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG_LO(0)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, self, 0, 1), /* the main thread's tid is the pid */
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, NR_OFF),
        ALLOW_NR(__NR_futex),
        ALLOW_NR(__NR_read),
        ALLOW_NR(__NR_write),
        ALLOW_NR(__NR_writev),
        ALLOW_NR(__NR_close),
        ALLOW_NR(__NR_fstat),
        ALLOW_NR(__NR_newfstatat),
        ALLOW_NR(__NR_lseek),
        ALLOW_NR(__NR_brk),
        ALLOW_NR(__NR_munmap),
        ALLOW_NR(__NR_mremap),
        ALLOW_NR(__NR_madvise),
        ALLOW_NR(__NR_rt_sigaction),
        ALLOW_NR(__NR_rt_sigprocmask),
        ALLOW_NR(__NR_rt_sigreturn),
        ALLOW_NR(__NR_sigaltstack),
        ALLOW_NR(__NR_getpid),
        ALLOW_NR(__NR_gettid),
        ALLOW_NR(__NR_getppid),
        ALLOW_NR(__NR_clock_gettime),
        ALLOW_NR(__NR_clock_getres),
        ALLOW_NR(__NR_gettimeofday),
#ifdef __NR_time
        ALLOW_NR(__NR_time),
#endif
        ALLOW_NR(__NR_nanosleep),
        ALLOW_NR(__NR_clock_nanosleep),
        ALLOW_NR(__NR_sched_yield),
        ALLOW_NR(__NR_getrandom),
        ALLOW_NR(__NR_restart_syscall),
        ALLOW_NR(__NR_exit),
        ALLOW_NR(__NR_exit_group),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
    };
    struct sock_fprog prog = { .len = (unsigned short)(sizeof f / sizeof f[0]), .filter = f };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return -1;
    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
        return -1;
    return 0;
#endif
}
