/* sandbox.c — `hostkit run --sandbox`, the PD's side: right before init(), once libhostkit has
 * mapped its kernel objects and regions, the PD enters the runtime's seccomp filter, which the
 * monitor compiled for it with libseccomp (src/monitor/monitor_seccomp.c) and left in its
 * read-only configuration. From then on the PD can do what the Microkit API needs — futexes,
 * writes to the descriptors it holds, memory management, time, yielding, its own fault handling —
 * and nothing else.
 *
 * This filter narrows the one the monitor installed before exec (which has to let the dynamic
 * loader open and map the image's libraries). Filters only ever add up: a PD that skips this one
 * (its own code before main, a hostkit_sandbox_enter of its own, an image without libhostkit)
 * keeps the monitor's, which it cannot remove (docs/security.md). */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "kernel/kernel.h"

_Static_assert(sizeof(struct sock_filter) == sizeof hk_cfg->filter[0], "struct sock_filter is 8 bytes");

int hostkit_sandbox_enter(void)
{
    if (hk_cfg == NULL || hk_cfg->filter_len == 0 || hk_cfg->filter_len > HK_FILTER_MAX) {
        errno = ENOSYS; /* the monitor compiled none: a host seccomp cannot express it */
        return -1;
    }
    struct sock_fprog prog = {
        .len = (unsigned short)hk_cfg->filter_len,
        /* the kernel copies the program in: a read-only page is fine */
        .filter = (struct sock_filter *)(uintptr_t)hk_cfg->filter,
    };
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        return -1;
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0)
        return -1;
    return 0;
}
