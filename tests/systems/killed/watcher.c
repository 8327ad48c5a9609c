#include <sched.h>
#include <stdio.h>
#include <sys/stat.h>

#include "../common/pd.h"

uintptr_t board;

void init(void)
{
    long pid = *(volatile long *)board;
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld", pid);
    say("waiting for the victim to be killed");
    struct stat st;
    while (stat(path, &st) == 0) /* until the monitor has reaped it */
        sched_yield();
    say("victim gone; notify victim, then bystander");
    microkit_notify(1);
    microkit_notify(2);
    say("done");
}

void notified(microkit_channel ch) { say("notified by channel %u", ch); }
