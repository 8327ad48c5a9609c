/* bench.c — hostkit's benchmark, run by `make bench` (bench/bench.mk). Not a test: it asserts
 * nothing, it measures and prints.
 *
 * In one run, REPS times over (interleaved, so that a noisy machine shows in every figure alike):
 *  - the baselines, measured here: two processes ping-ponging a turn over shared memory with
 *    futex wait/wake only; the same with a bounded spin (as long as hostkit's, 50 us) before the
 *    futex wait, the waker calling FUTEX_WAKE only for a sleeper; a pipe pair; a Unix-socket pair;
 *    and, as extras, the spin-then-futex pair pinned to CPUs 0 and 1 (the floor of a hand-over,
 *    free of the kernel's placement: unpinned, both may share one CPU, see docs/performance.md),
 *    and the floor of hostkit's own hand-over: the spin-then-futex pair that also moves, per hop,
 *    the two other cache lines a hostkit hand-over must move (a message line, watched while
 *    spinning, and a lock line taken and released around the pass), and the same with the message
 *    line only (the floor of a design whose fast path would leave the run queue alone);
 *  - our figures, from hostkit systems under bench/systems/: ppcall round trip with 0, 4 and 120
 *    message registers, msginfo-only chain a->b->c, notification one-way latency and throughput
 *    (the PDs time themselves and print "BENCH key value" lines, collected from hostkit's stdout),
 *    the device models' access paths on x86_64_generic (a trapped load and store of the HPET, an
 *    I/O port read), and the wall time of `hostkit run` of a 63-PD system to quiescence.
 * With --qemu-images DIR (make bench does it when ../shared/sel4 is there: mk/sel4.mk, bench.mk),
 * also the seL4 column, in the same repetitions: the same ppcall, chain, notify and boot63 PDs built
 * with the Microkit SDK for qemu_virt_aarch64 (debug) and booted in QEMU. A PD there has no clock:
 * it runs BENCH_SEL4_OPS operations between two serial lines (bench_pd.h), and this program
 * timestamps the lines as they arrive on QEMU's stdout; the 63-PD boot is QEMU's start to the
 * line the last PD prints. Printed beside hostkit's figure, with the ratio.
 * Once: the private memory of the PDs of an idle, blocked system (/proc/PID/smaps_rollup) and the
 * CPU that system uses over a second (/proc/PID/stat of the monitor and every PD).
 * Then it prints (markdown tables) each figure's median/min/max, the ratio of each of our time
 * figures to each baseline (median, min and max over the per-repetition ratios), and the issue's
 * targets with PASS/MISS; with --save FILE also writes all that plus the machine's description. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXREP 64

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static void sleep_ms(unsigned ms)
{
    struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) < 0 && errno == EINTR) {
    }
}

/* ---- figures ---- */
enum {
    B_FUTEX, B_SPIN, B_PIPE, B_SOCK, B_PINNED, B_LINES2, B_LINES3, NBASE = B_LINES3 + 1,
    F_PP0 = NBASE, F_PP4, F_PP120, F_CHAIN, F_NOTE, F_TPUT, F_BOOT, F_MEM, F_MONMEM, F_CPU,
    F_PP0_NOHOOKS, F_PP0_TRACED, F_MMIO_LOAD, F_MMIO_STORE, F_IOPORT_IN,
    F_Q_PP0, F_Q_PP4, F_Q_PP120, F_Q_CHAIN, F_Q_TPUT, F_Q_BOOT, NFIG
};

static struct fig {
    const char *key;   /* the BENCH key the PDs print (or our own name) */
    const char *desc;
    const char *unit;
    double v[MAXREP];
    int n;
} figs[NFIG] = {
    [B_FUTEX] = {"futex", "baseline: futex wait/wake only, round trip", "ns"},
    [B_SPIN] = {"spin", "baseline: spin then futex, round trip", "ns"},
    [B_PIPE] = {"pipe", "baseline: pipe pair, round trip", "ns"},
    [B_SOCK] = {"socket", "baseline: Unix socket pair, round trip", "ns"},
    [B_PINNED] = {"spin_pinned", "extra baseline: spin then futex, pinned to CPUs 0 and 1", "ns"},
    [B_LINES2] = {"spin_2lines", "extra baseline: spin then futex + a message line per hop", "ns"},
    [B_LINES3] = {"spin_3lines", "extra baseline: spin then futex + a message line and a lock line per hop", "ns"},
    [F_PP0] = {"ppcall0", "ppcall round trip, 0 MRs", "ns"},
    [F_PP4] = {"ppcall4", "ppcall round trip, 4 MRs", "ns"},
    [F_PP120] = {"ppcall120", "ppcall round trip, 120 MRs", "ns"},
    [F_CHAIN] = {"chain", "ppcall chain a->b->c, msginfo only", "ns"},
    [F_NOTE] = {"notify_oneway", "notification one-way (notify -> notified)", "ns"},
    [F_TPUT] = {"notify_tput", "notification throughput", "M/s"},
    [F_BOOT] = {"boot63", "63-PD system, hostkit run to quiescence", "ms"},
    [F_MEM] = {"idle_pd_private", "idle PD private memory (largest PD)", "KiB"},
    [F_MONMEM] = {"monitor_private", "monitor private memory (for reference)", "KiB"},
    [F_CPU] = {"idle_cpu", "blocked system CPU use over 1 s (monitor + PDs)", "%"},
    [F_PP0_NOHOOKS] = {"ppcall0_nohooks", "ppcall round trip, 0 MRs, trace hooks compiled out", "ns"},
    [F_PP0_TRACED] = {"ppcall0_traced", "ppcall round trip, 0 MRs, with --trace", "ns"},
    [F_MMIO_LOAD] = {"mmio_load", "device model: a trapped load (HPET counter, x86_64_generic)", "ns"},
    [F_MMIO_STORE] = {"mmio_store", "device model: a trapped store (HPET comparator)", "ns"},
    [F_IOPORT_IN] = {"ioport_in", "device model: an I/O port read (COM1's scratch register)", "ns"},
    /* seL4 in QEMU: the key is "sel4_" and the key the PD prints */
    [F_Q_PP0] = {"sel4_ppcall0", "seL4 in QEMU: ppcall round trip, 0 MRs", "ns"},
    [F_Q_PP4] = {"sel4_ppcall4", "seL4 in QEMU: ppcall round trip, 4 MRs", "ns"},
    [F_Q_PP120] = {"sel4_ppcall120", "seL4 in QEMU: ppcall round trip, 120 MRs", "ns"},
    [F_Q_CHAIN] = {"sel4_chain", "seL4 in QEMU: ppcall chain a->b->c, msginfo only", "ns"},
    [F_Q_TPUT] = {"sel4_notify_tput", "seL4 in QEMU: notification throughput", "M/s"},
    [F_Q_BOOT] = {"sel4_boot63", "seL4 in QEMU: 63-PD system, QEMU start to the last init", "ms"},
};

/* Each seL4 figure and hostkit's figure of the same PDs. */
static const int qemu_pairs[][2] = {
    {F_Q_PP0, F_PP0}, {F_Q_PP4, F_PP4}, {F_Q_PP120, F_PP120},
    {F_Q_CHAIN, F_CHAIN}, {F_Q_TPUT, F_TPUT}, {F_Q_BOOT, F_BOOT},
};

static bool is_qemu_fig(int f) { return f >= F_Q_PP0 && f <= F_Q_BOOT; }

static void add(int f, double v)
{
    if (figs[f].n < MAXREP)
        figs[f].v[figs[f].n++] = v;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

struct stat3 { double med, min, max; int n; };

static struct stat3 stats(const double *v, int n)
{
    struct stat3 s = {0, 0, 0, n};
    if (n <= 0)
        return s;
    double *t = malloc(sizeof *t * (size_t)n);
    memcpy(t, v, sizeof *t * (size_t)n);
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    s.min = t[0];
    s.max = t[n - 1];
    s.med = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
    free(t);
    return s;
}

/* Time per operation of figure f, for ratios: throughput becomes ns per notification. */
static double per_op(int f, int i)
{
    return f == F_TPUT || f == F_Q_TPUT ? 1e3 / figs[f].v[i] : figs[f].v[i];
}

/* Ratios ours[i] / (scale * base[i]) over the repetitions both have. */
static struct stat3 ratio(int ours, int base, double scale)
{
    double r[MAXREP];
    int n = figs[ours].n < figs[base].n ? figs[ours].n : figs[base].n;
    for (int i = 0; i < n; i++)
        r[i] = per_op(ours, i) / (scale * per_op(base, i));
    return stats(r, n);
}

/* ---- the baselines: a parent and a child process passing a turn back and forth ---- */
enum { MODE_FUTEX, MODE_SPIN, MODE_PIPE, MODE_SOCK, MODE_PINNED, MODE_LINES2, MODE_LINES3 };
#define SPIN_NS 50000u /* as long as hostkit's wait_cpu() spins */

struct shm {
    _Atomic uint32_t turn;        /* 0: the parent's, 1: the child's; the futex word */
    _Atomic uint32_t sleeping[2]; /* side i is (about to be) asleep on turn */
    _Atomic uint32_t stop;
    /* MODE_LINES2/3 only, each on its own line: as a hostkit hand-over writes a channel page (which
     * the waiter watches) and (3) takes the CPU's lock, whose line holds the run queue it updates */
    _Alignas(64) _Atomic uint64_t msg[2];
    _Alignas(64) _Atomic uint32_t lock;
    uint64_t queue;
};

static struct shm *shm;
static int fd_to_child, fd_from_child, fd_child_in, fd_child_out;

static void futex_wait(_Atomic uint32_t *w, uint32_t val)
{
    syscall(SYS_futex, w, FUTEX_WAIT, val, NULL, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *w)
{
    syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0);
}

static inline void relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

static void wait_turn(int mode, uint32_t me)
{
    if (mode == MODE_SPIN || mode == MODE_LINES2 || mode == MODE_LINES3) {
        uint64_t start = now_ns();
        for (unsigned i = 1; atomic_load(&shm->turn) != me; i++) {
            if (mode != MODE_SPIN)
                (void)atomic_load_explicit(&shm->msg[0], memory_order_relaxed);
            relax();
            if (!(i & 255) && now_ns() - start > SPIN_NS)
                break;
        }
        if (atomic_load(&shm->turn) == me)
            return;
        atomic_store(&shm->sleeping[me], 1);
        while (atomic_load(&shm->turn) != me)
            futex_wait(&shm->turn, me ^ 1);
        atomic_store(&shm->sleeping[me], 0);
        return;
    }
    while (atomic_load(&shm->turn) != me)
        futex_wait(&shm->turn, me ^ 1);
}

static void pass_turn(int mode, uint32_t me)
{
    if (mode == MODE_LINES2 || mode == MODE_LINES3) {
        /* read the message that came, take the lock, update the queue, write the message */
        uint64_t m = atomic_load_explicit(&shm->msg[1], memory_order_relaxed);
        uint32_t free_ = 0;
        while (mode == MODE_LINES3 && !atomic_compare_exchange_weak(&shm->lock, &free_, 1))
            free_ = 0;
        if (mode == MODE_LINES3)
            shm->queue ^= m | 1;
        atomic_store_explicit(&shm->msg[1], m + 1, memory_order_relaxed);
        atomic_store_explicit(&shm->msg[0], m + 1, memory_order_release);
        atomic_store(&shm->turn, me ^ 1);
        if (mode == MODE_LINES3)
            atomic_store_explicit(&shm->lock, 0, memory_order_release);
        if (atomic_load(&shm->sleeping[me ^ 1]))
            futex_wake(&shm->turn);
        return;
    }
    atomic_store(&shm->turn, me ^ 1);
    if (mode == MODE_FUTEX || atomic_load(&shm->sleeping[me ^ 1]))
        futex_wake(&shm->turn);
}

static void xfer(int out, int in, char c)
{
    char b = c;
    if (write(out, &b, 1) != 1 || read(in, &b, 1) != 1) {
        perror("bench: pipe/socket round trip");
        exit(1);
    }
}

static void child_loop(int mode)
{
    for (;;) {
        if (mode == MODE_FUTEX || mode == MODE_SPIN || mode == MODE_LINES2 || mode == MODE_LINES3) {
            wait_turn(mode, 1);
            if (atomic_load(&shm->stop))
                _exit(0);
            pass_turn(mode, 1);
        } else {
            char b;
            if (read(fd_child_in, &b, 1) != 1 || b == 'q')
                _exit(0);
            if (write(fd_child_out, &b, 1) != 1)
                _exit(1);
        }
    }
}

static void round_trip(int mode)
{
    if (mode == MODE_FUTEX || mode == MODE_SPIN || mode == MODE_LINES2 || mode == MODE_LINES3) {
        pass_turn(mode, 0);
        wait_turn(mode, 0);
    } else {
        xfer(fd_to_child, fd_from_child, 'x');
    }
}

static void pin(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    if (cpu < 0) {
        for (long c = 0; c < sysconf(_SC_NPROCESSORS_ONLN) && c < CPU_SETSIZE; c++)
            CPU_SET((int)c, &set);
    } else {
        CPU_SET(cpu, &set);
    }
    sched_setaffinity(0, sizeof set, &set);
}

/* One measurement: ns per round trip, over budget_ns after a warm-up. MODE_PINNED is MODE_SPIN
 * with the parent on CPU 0 and the child on CPU 1: the spin's floor, whatever the placement the
 * kernel would choose (unpinned, both may be left on one CPU, where the spinner only delays the
 * other for the whole spin). */
static double baseline(int mode, uint64_t budget_ns)
{
    bool pinned = mode == MODE_PINNED && sysconf(_SC_NPROCESSORS_ONLN) > 1;
    if (mode == MODE_PINNED)
        mode = MODE_SPIN;
    int a[2] = {-1, -1}, b[2] = {-1, -1};
    memset(shm, 0, sizeof *shm);
    if (mode == MODE_PIPE && (pipe(a) < 0 || pipe(b) < 0)) {
        perror("bench: pipe");
        exit(1);
    }
    if (mode == MODE_SOCK && socketpair(AF_UNIX, SOCK_STREAM, 0, a) < 0) {
        perror("bench: socketpair");
        exit(1);
    }
    if (mode == MODE_PIPE) {
        fd_to_child = a[1], fd_child_in = a[0], fd_child_out = b[1], fd_from_child = b[0];
    } else if (mode == MODE_SOCK) {
        fd_to_child = fd_from_child = a[0];
        fd_child_in = fd_child_out = a[1];
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("bench: fork");
        exit(1);
    }
    if (pid == 0) {
        if (pinned)
            pin(1);
        child_loop(mode);
    }
    if (pinned)
        pin(0);
    for (int i = 0; i < 200; i++)
        round_trip(mode);
    uint64_t n = 0, start = now_ns(), el;
    do {
        for (int i = 0; i < 64; i++)
            round_trip(mode);
        n += 64;
        el = now_ns() - start;
    } while (el < budget_ns);
    if (mode == MODE_FUTEX || mode == MODE_SPIN || mode == MODE_LINES2 || mode == MODE_LINES3) {
        atomic_store(&shm->stop, 1);
        pass_turn(mode, 0);
    } else {
        char q = 'q';
        if (write(fd_to_child, &q, 1) != 1)
            perror("bench: stopping the child");
    }
    waitpid(pid, NULL, 0);
    if (pinned)
        pin(-1);
    for (int i = 0; i < 2; i++) {
        if (a[i] >= 0)
            close(a[i]);
        if (b[i] >= 0)
            close(b[i]);
    }
    return (double)el / (double)n;
}

/* ---- running hostkit ---- */
static const char *hostkit = "build/hostkit", *systems = "bench/systems", *images = "build/bench/systems";
static const char *images_nohooks; /* the same images linked with trace hooks compiled out */

struct hk_run {
    pid_t pid;
    int out;        /* hostkit's stdout */
    uint64_t start; /* ns, just before fork */
};

static void hk_start_with(struct hk_run *r, const char *sys, const char *timeout, const char *image_dir,
                          const char *trace_file)
{
    char path[PATH_MAX], search[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s/%s.system", systems, sys, sys);
    snprintf(search, sizeof search, "%s/%s", image_dir, sys);
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) {
        perror("bench: pipe");
        exit(1);
    }
    fflush(NULL);
    r->start = now_ns();
    r->pid = fork();
    if (r->pid < 0) {
        perror("bench: fork");
        exit(1);
    }
    if (r->pid == 0) {
        dup2(p[1], 1);
        char *argv[] = {(char *)hostkit, "run", "--timeout", (char *)timeout, "--search-path", search,
                        path, NULL, NULL, NULL};
        if (trace_file) {
            argv[6] = "--trace";
            argv[7] = (char *)trace_file;
            argv[8] = path;
        } else if (!strcmp(sys, "idle")) { /* an IRQ due long after the measurement keeps it running */
            argv[6] = "--irq";
            argv[7] = "40@1000";
            argv[8] = path;
        } else if (!strcmp(sys, "devices")) { /* the device models are the x86_64_generic board's */
            argv[6] = "--board";
            argv[7] = "x86_64_generic";
            argv[8] = path;
        }
        execv(hostkit, argv);
        fprintf(stderr, "bench: cannot run %s: %s\n", hostkit, strerror(errno));
        _exit(127);
    }
    close(p[1]);
    r->out = p[0];
}

static void hk_start(struct hk_run *r, const char *sys, const char *timeout)
{
    hk_start_with(r, sys, timeout, images, NULL);
}

/* Reads hostkit's stdout to the end (or, with want, until a line equal to it) into *buf. */
static void hk_read(struct hk_run *r, char **buf, size_t *len, const char *want)
{
    size_t cap = *len + 4096;
    *buf = realloc(*buf, cap);
    for (;;) {
        if (want && *len) {
            (*buf)[*len] = 0;
            char *hit = strstr(*buf, want);
            if (hit && (hit == *buf || hit[-1] == '\n'))
                return;
        }
        struct pollfd pfd = {r->out, POLLIN, 0};
        if (poll(&pfd, 1, 120000) <= 0) {
            fprintf(stderr, "bench: hostkit gave no output for 120 s\n");
            return;
        }
        if (*len + 1024 > cap)
            *buf = realloc(*buf, cap *= 2);
        ssize_t n = read(r->out, *buf + *len, cap - *len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        *len += (size_t)n;
    }
    (*buf)[*len] = 0;
}

/* Waits for hostkit to end; returns its exit status, *wall_ms the time since hk_start. */
static int hk_wait(struct hk_run *r, double *wall_ms)
{
    int st;
    while (waitpid(r->pid, &st, 0) < 0 && errno == EINTR) {
    }
    if (wall_ms)
        *wall_ms = (double)(now_ns() - r->start) / 1e6;
    close(r->out);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Runs system sys to its end and files every "BENCH key value" line of its output; with
 * only_key, only that key's value, filed as figure as_fig. */
static void run_figures_as(const char *sys, const char *image_dir, const char *trace_file,
                           const char *only_key, int as_fig)
{
    struct hk_run r;
    char *out = NULL;
    size_t len = 0;
    hk_start_with(&r, sys, "120", image_dir, trace_file);
    hk_read(&r, &out, &len, NULL);
    int st = hk_wait(&r, NULL);
    for (char *line = out; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        char key[64];
        double v;
        if (sscanf(line, "BENCH %63s %lf", key, &v) == 2) {
            if (only_key) {
                if (!strcmp(key, only_key))
                    add(as_fig, v);
            } else {
                for (int f = 0; f < NFIG; f++)
                    if (!strcmp(figs[f].key, key))
                        add(f, v);
            }
        } else if (!strncmp(line, "BENCH_ERROR", 11) || !strncmp(line, "MON|", 4)) {
            fprintf(stderr, "bench: %s: %s\n", sys, line);
        }
        line = nl ? nl + 1 : NULL;
    }
    if (st != 0)
        fprintf(stderr, "bench: hostkit run of %s exited with %d\n", sys, st);
    free(out);
}

static void run_figures(const char *sys) { run_figures_as(sys, images, NULL, NULL, 0); }

static void run_boot(void)
{
    struct hk_run r;
    char *out = NULL;
    size_t len = 0;
    double ms;
    hk_start(&r, "boot63", "60");
    hk_read(&r, &out, &len, NULL);
    int st = hk_wait(&r, &ms);
    if (st == 0)
        add(F_BOOT, ms);
    else
        fprintf(stderr, "bench: boot63 exited with %d:\n%s", st, out);
    free(out);
}

/* ---- seL4 in QEMU ---- */
static const char *qemu_images;                  /* DIR/SYS/loader.img; NULL: no seL4 column */
static const char *qemu = "qemu-system-aarch64"; /* --qemu PATH */

/* The figure named "sel4_" KEY, or -1. */
static int qemu_fig(const char *key)
{
    char name[80];
    snprintf(name, sizeof name, "sel4_%s", key);
    for (int f = 0; f < NFIG; f++)
        if (is_qemu_fig(f) && !strcmp(figs[f].key, name))
            return f;
    return -1;
}

/* Boots QEMU_IMAGES/SYS/loader.img on seL4 in QEMU, with the Microkit manual's command line for
 * qemu_virt_aarch64, and files what its serial lines say, each line stamped when it arrives (all
 * lines of one read() share a stamp): "BENCH_BEGIN KEY N" ... "BENCH_END KEY" gives ns per op (or
 * millions per second, for an M/s figure) to figure sel4_KEY; "BENCH_BOOTED" gives the ms since
 * QEMU was started to sel4_boot63. After the line LAST, output is read 100 ms more (for a
 * BENCH_ERROR), then QEMU is ended by its PID; it is given 120 s in all. */
static void run_qemu(const char *sys, const char *last)
{
    char image[PATH_MAX], dev[PATH_MAX + 64];
    snprintf(image, sizeof image, "%s/%s/loader.img", qemu_images, sys);
    snprintf(dev, sizeof dev, "loader,file=%s,addr=0x70000000,cpu-num=0", image);
    if (access(image, R_OK) != 0) {
        fprintf(stderr, "bench: no seL4 image %s: %s\n", image, strerror(errno));
        return;
    }
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) {
        perror("bench: pipe");
        exit(1);
    }
    fflush(NULL);
    uint64_t start = now_ns();
    pid_t pid = fork();
    if (pid < 0) {
        perror("bench: fork");
        exit(1);
    }
    if (pid == 0) {
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(p[1], 1);
        dup2(null, 2);
        char *argv[] = {(char *)qemu, "-machine", "virt,virtualization=on", "-cpu", "cortex-a53",
                        "-nographic", "-serial", "mon:stdio", "-device", dev, "-m", "size=2G", NULL};
        execvp(qemu, argv);
        _exit(127);
    }
    close(p[1]);

    char buf[8192], key[64] = "";
    size_t len = 0;
    unsigned long ops = 0;
    uint64_t begin = 0, deadline = start + 120000000000ull;
    bool seen_last = false;
    for (;;) {
        uint64_t now = now_ns();
        if (now >= deadline)
            break;
        struct pollfd pfd = {p[0], POLLIN, 0};
        int wait_ms = (int)((deadline - now) / 1000000u);
        if (poll(&pfd, 1, wait_ms > 0 ? wait_ms : 1) <= 0)
            break;
        ssize_t n = read(p[0], buf + len, sizeof buf - 1 - len);
        uint64_t t = now_ns();
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
        buf[len] = 0;
        char *line = buf, *nl;
        while ((nl = strchr(line, '\n'))) {
            *nl = 0;
            if (nl > line && nl[-1] == '\r')
                nl[-1] = 0;
            char k[64];
            unsigned long nops;
            if (sscanf(line, "BENCH_BEGIN %63s %lu", k, &nops) == 2 && nops > 0) {
                snprintf(key, sizeof key, "%s", k);
                ops = nops;
                begin = t;
            } else if (sscanf(line, "BENCH_END %63s", k) == 1) {
                int f = qemu_fig(k);
                if (f < 0 || strcmp(k, key) || !ops) {
                    fprintf(stderr, "bench: seL4 %s: unexpected line: %s\n", sys, line);
                } else {
                    double ns = (double)(t - begin) / (double)ops;
                    add(f, strcmp(figs[f].unit, "M/s") ? ns : 1e3 / ns);
                }
                key[0] = 0;
                ops = 0;
            } else if (!strcmp(line, "BENCH_BOOTED")) {
                add(F_Q_BOOT, (double)(t - start) / 1e6);
            } else if (!strncmp(line, "BENCH_ERROR", 11) || !strncmp(line, "MON|ERROR", 9)) {
                fprintf(stderr, "bench: seL4 %s: %s\n", sys, line);
            }
            if (!seen_last && !strcmp(line, last)) {
                seen_last = true;
                deadline = t + 100000000u;
            }
            line = nl + 1;
        }
        len = strlen(line);
        memmove(buf, line, len);
        if (len == sizeof buf - 1)
            len = 0; /* a line longer than the buffer: not ours */
    }
    if (!seen_last)
        fprintf(stderr, "bench: seL4 %s: no line '%s' from %s within 120 s\n", sys, last, qemu);
    kill(pid, SIGTERM);
    while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
    }
    close(p[0]);
}

/* ---- the idle system: memory and CPU from /proc ---- */
static long kib_field(const char *path, const char *field)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[256];
    long v = -1;
    size_t fl = strlen(field);
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, field, fl) && line[fl] == ':') {
            v = atol(line + fl + 1);
            break;
        }
    fclose(f);
    return v;
}

static long private_kib(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/smaps_rollup", (int)pid);
    long c = kib_field(path, "Private_Clean"), d = kib_field(path, "Private_Dirty");
    return c < 0 || d < 0 ? -1 : c + d;
}

/* utime + stime (clock ticks) and the parent of pid, from /proc/PID/stat. */
static int proc_stat(pid_t pid, pid_t *ppid, unsigned long long *ticks)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = 0;
    char *p = strrchr(buf, ')'); /* the command name may hold spaces */
    if (!p)
        return -1;
    int pp;
    unsigned long long ut, stt;
    if (sscanf(p + 2, "%*c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &pp, &ut, &stt) != 3)
        return -1;
    if (ppid)
        *ppid = pp;
    if (ticks)
        *ticks = ut + stt;
    return 0;
}

/* CPU time in ns from /proc/PID/schedstat (finer than stat's ticks), or -1. */
static long long sched_ns(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/schedstat", (int)pid);
    FILE *f = fopen(path, "r");
    long long v = -1;
    if (f) {
        if (fscanf(f, "%lld", &v) != 1)
            v = -1;
        fclose(f);
    }
    return v;
}

static int children_of(pid_t parent, pid_t *kids, int max)
{
    DIR *d = opendir("/proc");
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) && n < max) {
        if (!isdigit((unsigned char)e->d_name[0]))
            continue;
        pid_t pid = atoi(e->d_name), pp;
        if (proc_stat(pid, &pp, NULL) == 0 && pp == parent)
            kids[n++] = pid;
    }
    if (d)
        closedir(d);
    return n;
}

static char idle_detail[2048];
static double idle_cpu_fine = -1;

static void run_idle(void)
{
    struct hk_run r;
    char *out = NULL;
    size_t len = 0;
    hk_start(&r, "idle", "120");
    hk_read(&r, &out, &len, "BENCH_READY\n");
    sleep_ms(200); /* any spinning has long given up by now */
    pid_t pids[80];
    pids[0] = r.pid;
    int n = 1 + children_of(r.pid, pids + 1, 79);
    size_t off = 0;
    double worst = -1;
    for (int i = 0; i < n; i++) {
        char path[64], name[64] = "?";
        snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pids[i]);
        FILE *f = fopen(path, "r");
        if (f) {
            size_t k = fread(name, 1, sizeof name - 1, f);
            name[k] = 0;
            fclose(f);
        }
        long kib = private_kib(pids[i]);
        if (i == 0) {
            add(F_MONMEM, (double)kib);
            snprintf(name, sizeof name, "monitor");
        } else if (kib > worst) {
            worst = (double)kib;
        }
        off += (size_t)snprintf(idle_detail + off, sizeof idle_detail - off, "%s%s %ld KiB",
                                i ? ", " : "", name, kib);
    }
    if (worst >= 0)
        add(F_MEM, worst);

    unsigned long long t0 = 0, t1 = 0, t;
    long long s0 = 0, s1 = 0;
    for (int i = 0; i < n; i++) {
        if (proc_stat(pids[i], NULL, &t) == 0)
            t0 += t;
        s0 += sched_ns(pids[i]);
    }
    uint64_t w0 = now_ns();
    sleep_ms(1000);
    for (int i = 0; i < n; i++) {
        if (proc_stat(pids[i], NULL, &t) == 0)
            t1 += t;
        s1 += sched_ns(pids[i]);
    }
    double wall = (double)(now_ns() - w0) / 1e9;
    add(F_CPU, 100.0 * (double)(t1 - t0) / (double)sysconf(_SC_CLK_TCK) / wall);
    idle_cpu_fine = 100.0 * (double)(s1 - s0) / 1e9 / wall;

    kill(r.pid, SIGTERM);
    hk_read(&r, &out, &len, NULL);
    hk_wait(&r, NULL);
    if (strstr(out, "BENCH_ERROR"))
        fprintf(stderr, "bench: idle: %s", strstr(out, "BENCH_ERROR"));
    free(out);
}

/* ---- the report ---- */
static FILE *save;

static void emit(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    if (save) {
        va_start(ap, fmt);
        vfprintf(save, fmt, ap);
        va_end(ap);
    }
}

static const char *num(char *buf, double v)
{
    if (v >= 1000)
        snprintf(buf, 32, "%.0f", v);
    else if (v >= 10)
        snprintf(buf, 32, "%.1f", v);
    else
        snprintf(buf, 32, "%.3f", v);
    return buf;
}

static double load[3]; /* load averages when the run started */
static time_t start_time;

static void machine(int reps, unsigned ms)
{
    struct utsname u;
    uname(&u);
    char model[512] = "unknown";
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f) {
        char line[512];
        while (fgets(line, sizeof line, f))
            if (!strncmp(line, "model name", 10)) {
                char *c = strchr(line, ':');
                snprintf(model, sizeof model, "%s", c ? c + 2 : line);
                model[strcspn(model, "\n")] = 0;
                break;
            }
        fclose(f);
    }
    time_t t = start_time;
    char date[64];
    strftime(date, sizeof date, "%Y-%m-%d %H:%M %Z", localtime(&t));
    emit("Machine: %ld cores (nproc), kernel %s %s, CPU %s; load average at start %.2f %.2f %.2f; started %s\n",
         sysconf(_SC_NPROCESSORS_ONLN), u.release, u.machine, model, load[0], load[1], load[2], date);
    emit("Run: %d repetitions, %u ms per time measurement, baselines and hostkit systems interleaved.\n\n",
         reps, ms);
}

static void report(int reps, unsigned ms)
{
    char a[32], b[32], c[32];
    machine(reps, ms);
    emit("| figure | unit | median | min | max | n |\n|---|---|---:|---:|---:|---:|\n");
    for (int f = 0; f < NFIG; f++) {
        if (is_qemu_fig(f) && !figs[f].n)
            continue;
        struct stat3 s = stats(figs[f].v, figs[f].n);
        emit("| %s | %s | %s | %s | %s | %d |\n", figs[f].desc, figs[f].unit, num(a, s.med),
             num(b, s.min), num(c, s.max), s.n);
    }
    if (idle_cpu_fine >= 0)
        emit("\nIdle system, per process private memory: %s; CPU over 1 s from schedstat: %.3f %%.\n",
             idle_detail, idle_cpu_fine);

    emit("\nPer repetition (in run order):\n\n```\n");
    for (int f = 0; f < NFIG; f++) {
        if (figs[f].n < 2)
            continue;
        emit("%-16s", figs[f].key);
        for (int i = 0; i < figs[f].n; i++)
            emit(" %s", num(a, figs[f].v[i]));
        emit("\n");
    }
    emit("```\n");

    if (qemu_images) {
        emit("\nseL4 in QEMU (qemu_virt_aarch64, Microkit 2.0.1 debug config, TCG on this machine), the "
             "same PDs, in the same repetitions; QEMU / hostkit: the ratio of the time per operation, "
             "median (min-max) over the repetitions' ratios.\n\n"
             "| figure | unit | hostkit median | seL4 in QEMU median (min-max) | QEMU / hostkit |\n"
             "|---|---|---:|---:|---:|\n");
        for (size_t k = 0; k < sizeof qemu_pairs / sizeof *qemu_pairs; k++) {
            int q = qemu_pairs[k][0], h = qemu_pairs[k][1];
            struct stat3 sq = stats(figs[q].v, figs[q].n), sh = stats(figs[h].v, figs[h].n),
                         r = ratio(q, h, 1);
            char d[32], e[32], g[32], i[32];
            emit("| %s | %s | %s | %s (%s-%s) | %s (%s-%s) |\n", figs[h].desc, figs[h].unit,
                 num(a, sh.med), num(b, sq.med), num(c, sq.min), num(d, sq.max), num(e, r.med),
                 num(g, r.min), num(i, r.max));
        }
    }

    static const int ours[] = {F_PP0, F_PP4, F_PP120, F_CHAIN, F_NOTE, F_TPUT};
    emit("\nRatios of our figures to each baseline's round trip: median (min-max) over the "
         "repetitions' ratios; throughput as ns per notification.\n\n| figure |");
    for (int bs = 0; bs < NBASE; bs++)
        emit(" / %s |", figs[bs].key);
    emit("\n|---|");
    for (int bs = 0; bs < NBASE; bs++)
        emit("---:|");
    emit("\n");
    for (size_t k = 0; k < sizeof ours / sizeof *ours; k++) {
        emit("| %s |", figs[ours[k]].key);
        for (int bs = 0; bs < NBASE; bs++) {
            struct stat3 s = ratio(ours[k], bs, 1);
            emit(" %s (%s-%s) |", num(a, s.med), num(b, s.min), num(c, s.max));
        }
        emit("\n");
    }

    struct { const char *what; struct stat3 s; double limit; bool strict; } t[] = {
        {"ppcall 0 MRs <= 1.25 x spin-then-futex RT", ratio(F_PP0, B_SPIN, 1), 1.25, false},
        {"ppcall 4 MRs <= 1.25 x spin-then-futex RT", ratio(F_PP4, B_SPIN, 1), 1.25, false},
        {"ppcall 0 MRs <= 0.05 x pipe RT", ratio(F_PP0, B_PIPE, 1), 0.05, false},
        {"ppcall 4 MRs <= 0.05 x pipe RT", ratio(F_PP4, B_PIPE, 1), 0.05, false},
        {"(extra) ppcall 0 MRs <= 1.25 x pinned spin-then-futex RT", ratio(F_PP0, B_PINNED, 1), 1.25, false},
        {"(extra) notification one-way <= 1.25 x half pinned spin RT", ratio(F_NOTE, B_PINNED, 0.5), 1.25, false},
        /* how far from the floor of its own design: three lines per hop instead of the baseline's one */
        {"(extra) ppcall 0 MRs <= 1.25 x the 3-line spin RT", ratio(F_PP0, B_LINES3, 1), 1.25, false},
        {"ppcall 120 MRs <= 1.5 x ppcall 0 MRs", ratio(F_PP120, F_PP0, 1), 1.5, false},
        {"notification one-way <= 1.25 x half spin-then-futex RT", ratio(F_NOTE, B_SPIN, 0.5), 1.25, false},
        {"63-PD boot to quiescence <= 50 ms", stats(figs[F_BOOT].v, figs[F_BOOT].n), 50, false},
        {"idle PD private memory <= 1024 KiB", stats(figs[F_MEM].v, figs[F_MEM].n), 1024, false},
        {"blocked system CPU < 1 %", stats(figs[F_CPU].v, figs[F_CPU].n), 1, true},
        /* tracing off costs nothing measurable: the shipped hooks against none at all */
        {"(trace off) ppcall 0 MRs <= 1.05 x with hooks compiled out", ratio(F_PP0, F_PP0_NOHOOKS, 1), 1.05, false},
    };
    emit("\n| target | measured median (min-max) | result |\n|---|---:|---|\n");
    for (size_t k = 0; k < sizeof t / sizeof *t; k++) {
        bool pass = t[k].s.n > 0 && (t[k].strict ? t[k].s.med < t[k].limit : t[k].s.med <= t[k].limit);
        emit("| %s | %s (%s-%s) | %s |\n", t[k].what, num(a, t[k].s.med), num(b, t[k].s.min),
             num(c, t[k].s.max), t[k].s.n ? (pass ? "PASS" : "MISS") : "NO DATA");
    }
}

static void usage(void)
{
    fputs("usage: bench [--hostkit PATH] [--systems DIR] [--images DIR] [--images-nohooks DIR] [--reps N]\n"
          "             [--ms MS] [--save FILE] [--qemu-images DIR [--qemu QEMU]]\n"
          "Measures the baselines and hostkit's figures, interleaved, N times (default 7), each time\n"
          "measurement running MS milliseconds (default 200); prints the tables, and writes them\n"
          "with the machine's description to FILE when given. With --qemu-images, also boots\n"
          "DIR/SYS/loader.img (the same PDs built for seL4, qemu_virt_aarch64) in QEMU each repetition.\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    int reps = 7;
    unsigned ms = 200;
    const char *save_path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            usage();
        if (!strcmp(o, "--hostkit"))
            hostkit = v;
        else if (!strcmp(o, "--systems"))
            systems = v;
        else if (!strcmp(o, "--images"))
            images = v;
        else if (!strcmp(o, "--images-nohooks"))
            images_nohooks = v;
        else if (!strcmp(o, "--reps"))
            reps = atoi(v);
        else if (!strcmp(o, "--ms"))
            ms = (unsigned)atoi(v);
        else if (!strcmp(o, "--save"))
            save_path = v;
        else if (!strcmp(o, "--qemu-images"))
            qemu_images = v;
        else if (!strcmp(o, "--qemu"))
            qemu = v;
        else
            usage();
        i++;
    }
    if (reps < 1 || reps > MAXREP || ms < 1)
        usage();
    shm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shm == MAP_FAILED) {
        perror("bench: mmap");
        return 1;
    }
    char msbuf[16];
    snprintf(msbuf, sizeof msbuf, "%u", ms);
    setenv("HK_BENCH_MS", msbuf, 1);
    signal(SIGPIPE, SIG_IGN);
    getloadavg(load, 3);
    start_time = time(NULL);

    for (int rep = 0; rep < reps; rep++) {
        fprintf(stderr, "bench: repetition %d of %d\n", rep + 1, reps);
        static const int modes[NBASE] = {MODE_FUTEX, MODE_SPIN, MODE_PIPE, MODE_SOCK, MODE_PINNED, MODE_LINES2, MODE_LINES3};
        for (int bs = 0; bs < NBASE; bs++)
            add(bs, baseline(modes[bs], (uint64_t)ms * 1000000u));
        run_figures("ppcall");
        if (images_nohooks)
            run_figures_as("ppcall", images_nohooks, NULL, "ppcall0", F_PP0_NOHOOKS);
        run_figures_as("ppcall", images, "/dev/null", "ppcall0", F_PP0_TRACED);
        run_figures("chain");
        run_figures("notify");
        run_figures("devices");
        run_boot();
        if (qemu_images) {
            run_qemu("ppcall", "BENCH_END ppcall120");
            run_qemu("chain", "BENCH_END chain");
            run_qemu("notify", "BENCH_END notify_tput");
            run_qemu("boot63", "BENCH_BOOTED");
        }
    }
    run_idle();

    if (save_path) {
        save = fopen(save_path, "w");
        if (!save)
            fprintf(stderr, "bench: cannot write %s: %s\n", save_path, strerror(errno));
        else
            fprintf(save, "hostkit benchmark (make bench SAVE=1)\n\n");
    }
    printf("\n");
    report(reps, ms);
    if (save) {
        fclose(save);
        printf("\nSaved to %s\n", save_path);
    }
    return 0;
}
