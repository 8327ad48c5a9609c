/* tamper: a PD trying to rewrite its own rights and to pull its kernel objects from under their
 * other holders (tests/test_attacks_pd.c). Its configuration is the hostkit memfd named
 * hostkit-cfg-NAME on main's successors, hostkit-ctl-NAME before: it looks for both. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../common/pd.h"

static int cfg_fd = -1, made_writable, mapped_writable, truncated, held;

/* Is descriptor FD a hostkit memfd whose name starts with PREFIX? */
static bool is_memfd(int fd, const char *prefix)
{
    char link[64], target[256];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t k = readlink(link, target, sizeof target - 1);
    if (k <= 0)
        return false;
    target[k] = 0;
    return !strncmp(target, "/memfd:", 7) && !strncmp(target + 7, prefix, strlen(prefix));
}

__attribute__((constructor)) static void before_main(void)
{
    for (int fd = 3; fd < 64; fd++)
        if (is_memfd(fd, "hostkit-cfg-") || (cfg_fd < 0 && is_memfd(fd, "hostkit-ctl-")))
            cfg_fd = fd;
    if (cfg_fd >= 0) {
        /* a writable mapping through a descriptor opened anew for writing */
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", cfg_fd);
        int rw = open(path, O_RDWR | O_CLOEXEC);
        void *p = rw >= 0 ? mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, rw, 0) : MAP_FAILED;
        mapped_writable = p != MAP_FAILED;
        if (p != MAP_FAILED)
            munmap(p, 4096);
        /* a read-only mapping made writable */
        p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, cfg_fd, 0);
        made_writable = p != MAP_FAILED && mprotect(p, 4096, PROT_READ | PROT_WRITE) == 0;
        if (rw >= 0)
            close(rw);
    }
    /* every kernel object it holds, truncated to nothing */
    for (int fd = 3; fd < 64; fd++)
        if (is_memfd(fd, "hostkit-")) {
            held++;
            truncated += ftruncate(fd, 0) == 0;
        }
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    say("ppcall on channel %u, MR0 %U", ch, (seL4_Word)microkit_mr_get(0));
    microkit_mr_set(0, microkit_mr_get(0) + 1);
    return microkit_msginfo_new(microkit_msginfo_get_label(msginfo) + 1, 1);
}

void init(void)
{
    say("found its configuration: %s", cfg_fd >= 0 ? "yes" : "no");
    say("map it writable: %s", mapped_writable ? "done" : "refused");
    say("make its mapping writable: %s", made_writable ? "done" : "refused");
    say("truncate its kernel objects: %s", truncated ? "done" : held ? "refused" : "none held");
    /* its configuration, as mapped by libhostkit: find it in /proc/self/maps */
    FILE *m = fopen("/proc/self/maps", "r");
    char line[512];
    unsigned long lo = 0, hi = 0;
    while (m && fgets(line, sizeof line, m))
        if (strstr(line, "/memfd:hostkit-cfg-") || (!lo && strstr(line, "/memfd:hostkit-ctl-")))
            sscanf(line, "%lx-%lx", &lo, &hi);
    if (m)
        fclose(m);
    int mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
    char zeros[64] = {0};
    bool wrote = lo && mem >= 0 && pwrite(mem, zeros, sizeof zeros, (off_t)lo + 64) == (ssize_t)sizeof zeros;
    say("write its configuration through /proc/self/mem: %s", wrote ? "done" : "refused");
    if (mem >= 0)
        close(mem);
}

void notified(microkit_channel ch) { say("notified by channel %u", ch); }
