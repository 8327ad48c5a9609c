/* A test PD using the host: a constructor (run before libhostkit's main maps the regions) takes
 * the page at 0x4001000, inside where region buf is to be mapped. */
#include <sys/mman.h>

#include "../common/pd.h"

__attribute__((constructor)) static void squat(void)
{
    mmap((void *)0x4001000, 0x1000, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
}

void init(void)
{
    say("init");
}

void notified(microkit_channel ch) { (void)ch; }
