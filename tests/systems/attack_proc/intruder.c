/* intruder: a PD hunting for other processes' kernel objects through /proc (tests/test_attacks_pd.c).
 * Its constructor runs before libhostkit's main(): it still holds its own descriptors and no
 * filter of libhostkit's is in force. The monitor is its parent (getppid(), 0 when the monitor
 * is outside its PID namespace); the other PDs are the monitor's other children. Every hostkit
 * memfd it can open it maps and writes over (notification words, call slots, requests). */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../common/pd.h"

static int seen, monitor_opened, others_opened, written, monitor_visible;

/* Opens every hostkit memfd PID holds (read-write, else read-only); writes over those it can
 * map writable. Returns how many it opened. */
static int raid(long pid)
{
    char dir[64];
    snprintf(dir, sizeof dir, "/proc/%ld/fd", pid);
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int opened = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char link[320], target[256];
        snprintf(link, sizeof link, "%s/%s", dir, e->d_name);
        ssize_t k = readlink(link, target, sizeof target - 1);
        if (k <= 0)
            continue;
        target[k] = 0;
        if (strncmp(target, "/memfd:hostkit-", 15))
            continue;
        /* its own objects and the scheduler page are not what it is after (breaking them proves
         * nothing): the others' channels, regions and control pages are */
        if (strstr(target, "-intruder") || strstr(target, "hostkit-sched"))
            continue;
        int fd = open(link, O_RDWR | O_CLOEXEC);
        if (fd < 0)
            fd = open(link, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            continue;
        opened++;
        unsigned char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (p != MAP_FAILED) {
            memset(p, 0xff, 64);
            written++;
            munmap(p, 4096);
        }
        close(fd);
    }
    closedir(d);
    return opened;
}

/* The other children of the monitor. */
static int siblings(long *pids, int max)
{
    char path[96];
    long mon = getppid();
    snprintf(path, sizeof path, "/proc/%ld/task/%ld/children", mon, mon);
    FILE *f = mon > 0 ? fopen(path, "r") : NULL;
    int n = 0;
    long pid;
    while (f && n < max && fscanf(f, "%ld", &pid) == 1)
        if (pid != getpid())
            pids[n++] = pid;
    if (f)
        fclose(f);
    return n;
}

__attribute__((constructor)) static void before_main(void)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        if (e->d_name[0] >= '1' && e->d_name[0] <= '9' && atol(e->d_name) != getpid())
            seen++;
    if (d)
        closedir(d);
    long mon = getppid();
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld", mon);
    monitor_visible = mon > 0 && access(path, F_OK) == 0;
    if (monitor_visible)
        monitor_opened = raid(mon);
}

void init(void)
{
    long pids[64];
    int n = siblings(pids, 64);
    for (int i = 0; i < n; i++)
        others_opened += raid(pids[i]);
    say("the monitor %s", monitor_visible ? "is visible" : "is not visible");
    say("hostkit memfds of the monitor opened: %u", (unsigned)monitor_opened);
    say("hostkit memfds of the other PDs opened: %u", (unsigned)others_opened);
    say("pages written over: %u", (unsigned)written);
    say("processes seen besides itself: %s", seen ? "some" : "none");
    /* its process group: the monitor's, were it not in a session of its own (a PID namespace
     * does not hide a process group); SIGUSR1 ends a process that does not handle it */
    signal(SIGUSR1, SIG_IGN);
    say("signal its process group: %s", kill(0, SIGUSR1) == 0 ? "done" : "refused");
}

void notified(microkit_channel ch) { say("notified by channel %u", ch); }
