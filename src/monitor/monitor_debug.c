/* monitor_debug.c — debugging a PD as any Linux program:
 *   --gdb PD       the PD's image runs under gdbserver (Debian's gdbserver), which starts it
 *                  stopped at its first instruction and waits for gdb on a local TCP port. The
 *                  monitor prints the gdb command that attaches, and keeps every CPU (nothing
 *                  runs, no init) until the PD has reached its own start, waiting for its CPU:
 *                  that is, until gdb let it run. Breakpoints set before `continue` then see
 *                  everything the PD does.
 *   --core-dir DIR a PD that faults with nobody to handle it waits (kernel/fault.c) while the
 *                  monitor has gdb write its core file, DIR/PD.core (gdb's gcore: it needs no
 *                  setting of the host's core_pattern or ulimit), then ends as before. The core
 *                  holds the thread inside the fault's signal handler; gdb unwinds from there
 *                  through the signal frame to the faulting instruction. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/futex.h>

#include "monitor/monitor.h"

static char port_arg[32];

/* The program NAME on PATH, into BUF; false if there is none. */
static bool find_program(const char *name, char *buf, size_t len)
{
    const char *path = getenv("PATH");
    for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
        size_t n = strcspn(p, ":");
        snprintf(buf, len, "%.*s/%s", (int)n, p, name);
        if (n && access(buf, X_OK) == 0)
            return true;
        p += n + (p[n] == ':');
    }
    return false;
}

/* A TCP port on the loopback interface nobody listens on now. */
static int free_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof a;
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) < 0 || getsockname(s, (struct sockaddr *)&a, &len) < 0) {
        if (s >= 0)
            close(s);
        return -1;
    }
    close(s);
    return ntohs(a.sin_port);
}

int debug_gdb(const char *pd)
{
    static char gdbserver[4096];
    int i = pd_index(pd);
    if (i < 0) {
        fprintf(stderr, "hostkit: --gdb %s: the system has no PD of that name\n", pd);
        return -1;
    }
    if (!find_program("gdbserver", gdbserver, sizeof gdbserver)) {
        fprintf(stderr, "hostkit: --gdb needs gdbserver on PATH (Debian: apt-get install gdbserver)\n");
        return -1;
    }
    int port = free_port();
    if (port < 0) {
        fprintf(stderr, "hostkit: --gdb: no free TCP port on localhost: %s\n", strerror(errno));
        return -1;
    }
    snprintf(port_arg, sizeof port_arg, "localhost:%d", port);
    const char *image = M.sys.pds[M.pd[i].sdf].image_resolved;
    char *abs = realpath(image, NULL);
    M.gdb_pd = i;
    M.gdb_argv[0] = gdbserver;
    M.gdb_argv[1] = (char *)"--once";
    M.gdb_argv[2] = (char *)"--no-startup-with-shell";
    M.gdb_argv[3] = port_arg;
    M.gdb_argv[4] = (char *)image;
    M.gdb_argv[5] = NULL;
    M.gdb_holds_cpus = true;
    fprintf(stderr,
            "hostkit: PD '%s' waits for gdb, and the system with it; attach with:\n"
            "  gdb -ex 'set sysroot /' -ex 'target remote %s' %s\n",
            pd, port_arg, abs ? abs : image);
    free(abs);
    return 0;
}

bool debug_holding_cpus(void) { return M.gdb_holds_cpus; }

int debug_poll_timeout(void) { return M.gdb_holds_cpus ? 20 : -1; }

/* The PD under gdb sleeps on its doorbell, waiting for its CPU (kernel/cpu.c): gdb let it run to
 * its start. Every CPU goes to its first PD now, as at a run's start without --gdb. */
void debug_check(void)
{
    if (!M.gdb_holds_cpus || !atomic_load(&M.sched->pd[M.gdb_pd].sleeping))
        return;
    M.gdb_holds_cpus = false;
    for (unsigned c = 0; c < M.ncpus; c++)
        monitor_reschedule(c, true);
}

/* True if process PID has AddressSanitizer's runtime mapped (SANITIZE=1 builds). */
static bool runs_with_asan(pid_t pid)
{
    char path[64], line[512];
    snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
    FILE *f = fopen(path, "r");
    bool asan = false;
    while (f && !asan && fgets(line, sizeof line, f))
        asan = strstr(line, "/libasan.so") != NULL;
    if (f)
        fclose(f);
    return asan;
}

void debug_core(unsigned i)
{
    struct hk_fault *f = &M.pd[i].ctl->fault;
    if (!M.core_dir || M.pd[i].pid <= 0)
        return;
    char gdb[4096], path[4096], cmd[4200], pid[24];
    mkdir(M.core_dir, 0755);
    snprintf(path, sizeof path, "%s/%s.core", M.core_dir, pd_name((int)i));
    snprintf(cmd, sizeof cmd, "gcore %s", path);
    snprintf(pid, sizeof pid, "%d", (int)M.pd[i].pid);
    if (!find_program("gdb", gdb, sizeof gdb)) {
        fprintf(stderr, "hostkit: --core-dir needs gdb on PATH (Debian: apt-get install gdb)\n");
    } else if (runs_with_asan(M.pd[i].pid)) {
        fprintf(stderr, "hostkit: no core of PD '%s': it runs with AddressSanitizer, whose shadow memory would make "
                        "the core file terabytes large\n", pd_name((int)i));
    } else {
        fflush(stdout);
        pid_t g = fork();
        if (g == 0) {
            int null = open("/dev/null", O_RDWR);
            dup2(null, 0);
            dup2(null, 1); /* gdb's chatter is not the system's output */
            sigset_t none;
            sigemptyset(&none);
            sigprocmask(SIG_SETMASK, &none, NULL);
            execl(gdb, "gdb", "-nx", "-batch", "-p", pid, "-ex", cmd, (char *)NULL);
            _exit(127);
        }
        int status = 0;
        while (g > 0 && waitpid(g, &status, 0) < 0 && errno == EINTR) {
        }
        struct stat st;
        if (g > 0 && stat(path, &st) == 0)
            fprintf(stderr, "hostkit: core of PD '%s' written to %s\n", pd_name((int)i), path);
        else
            fprintf(stderr, "hostkit: could not write a core of PD '%s' to %s (gdb exited %d)\n", pd_name((int)i),
                    path, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    /* a fault of the host's signals waits for this (kernel/fault.c); a capability fault waits for
     * ever, as a faulted seL4 thread, and is left so */
    if (f->signo) {
        atomic_store(&f->verdict, HK_VERDICT_RESUME);
        syscall(SYS_futex, &f->verdict, FUTEX_WAKE, 1, NULL, NULL, 0);
    }
}
