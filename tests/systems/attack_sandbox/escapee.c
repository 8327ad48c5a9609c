/* escapee: a sandboxed child that clears the sandbox flag of its configuration, from a
 * constructor (before libhostkit's main reads the flag), and ends its process, so that its
 * parent's restart starts it anew (tests/test_attacks_pd.c). The flag's place is libhostkit's own
 * layout (src/kernel/kobj.h): in hk_cfg (descriptor HK_FD_CFG) on main's successors, in hk_ctl
 * (HK_FD_CTL) before. */
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "probes.h"
#include "../../../src/kernel/kobj.h"

#ifdef HK_FILTER_MAX
#define FLAG_AT offsetof(struct hk_cfg, sandbox)
#define CFG_FD HK_FD_CFG
#else
#define FLAG_AT offsetof(struct hk_ctl, sandbox)
#define CFG_FD HK_FD_CTL
#endif

static bool cleared;

__attribute__((constructor)) static void before_main(void)
{
    size_t len = (FLAG_AT + 4 + 4095) & ~(size_t)4095;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, CFG_FD, 0);
    if (p == MAP_FAILED) { /* a read-only mapping made writable, then */
        p = mmap(NULL, len, PROT_READ, MAP_SHARED, CFG_FD, 0);
        if (p != MAP_FAILED && mprotect(p, len, PROT_READ | PROT_WRITE) < 0)
            p = MAP_FAILED;
    }
    if (p != MAP_FAILED) {
        *(volatile uint32_t *)(p + FLAG_AT) = 0;
        cleared = true;
    }
}

void init(void)
{
    probe_host_calls(true);
    say("clear the sandbox flag: %s", cleared ? "done" : "refused");
    say("ending its process");
    exit(0);
}

void notified(microkit_channel ch) { say("notified by channel %u", ch); }
