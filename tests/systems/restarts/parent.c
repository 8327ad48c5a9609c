#include "../common/pd.h"
#include "../common/host.h"

#define RESTARTS 1000

static unsigned faults;
static long monitor, fds0, rss0;

void init(void)
{
    monitor = getppid();
    say("init");
}

void notified(microkit_channel ch)
{
    int all, zombies;
    host_children(monitor, &all, &zombies);
    say("notified by channel %u; the monitor has %u processes (%u zombies)", ch, (unsigned)all,
        (unsigned)zombies);
}

seL4_Bool fault(microkit_child child, microkit_msginfo msginfo, microkit_msginfo *reply)
{
    (void)msginfo;
    (void)reply;
    faults++;
    if (faults == 10) { /* settled: the monitor's descriptors and memory from here on */
        fds0 = host_fd_count(monitor);
        rss0 = host_status_field(monitor, "VmRSS:");
    }
    if (faults < RESTARTS + 1) {
        microkit_pd_restart(child, 0);
        return seL4_False;
    }
    microkit_pd_stop(child);
    int all, zombies;
    host_children(monitor, &all, &zombies);
    long fds = host_fd_count(monitor), rss = host_status_field(monitor, "VmRSS:");
    say("child %u faulted %U times, restarted %u times, now stopped", child, (seL4_Word)faults,
        (unsigned)RESTARTS);
    say("the monitor has %u processes (%u zombies)", (unsigned)all, (unsigned)zombies);
    say("monitor descriptors: %s", fds == fds0 ? "as many as after 10 restarts" : "CHANGED");
    say("monitor memory: %s", rss - rss0 < 1024 ? "grew by less than 1 MiB since 10 restarts" : "GREW");
    if (fds != fds0 || rss - rss0 >= 1024)
        say("fds %U -> %U, rss %U -> %U KB", (seL4_Word)fds0, (seL4_Word)fds, (seL4_Word)rss0, (seL4_Word)rss);
    return seL4_False;
}
