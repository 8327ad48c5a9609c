/* driver: has its own read, write, close and putchar (a device driver's names, not libc's); if
 * libhostkit called them, its output and its hand-overs would go astray and `uses` would count. */
#include <stddef.h>

#include "../common/pd.h"

static seL4_Word uses;

long read(int fd, void *buf, size_t n) { (void)fd, (void)buf, (void)n; uses++; return 0; }
long write(int fd, const void *buf, size_t n) { (void)fd, (void)buf, (void)n; uses++; return 0; }
int close(int fd) { (void)fd; uses++; return 0; }
int putchar(int c) { uses++; return c; }

void init(void)
{
    say("init, ppcall server");
    microkit_msginfo reply = microkit_ppcall(1, microkit_msginfo_new(5, 0));
    say("reply label %U; notify server", microkit_msginfo_get_label(reply));
    microkit_notify(1);
    say("my read/write/close/putchar were called %U times", uses);
}

void notified(microkit_channel ch) { (void)ch; }
