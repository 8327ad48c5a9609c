/* Enters the sandbox by itself unless `hostkit run --sandbox` already did (SANDBOX_BY_MONITOR). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../common/pd.h"

int hostkit_sandbox_enter(void);

static const char *result(long rc)
{
    return rc >= 0 ? "allowed" : errno == EPERM ? "refused (EPERM)" : strerror(errno);
}

void init(void)
{
#ifndef SANDBOX_BY_MONITOR
    say("entering the sandbox: %s", hostkit_sandbox_enter() == 0 ? "ok" : strerror(errno));
#endif
    say("open /etc/passwd: %s", result(open("/etc/passwd", O_RDONLY)));
    say("socket: %s", result(socket(AF_INET, SOCK_STREAM, 0)));
    say("kill the monitor: %s", result(kill(getppid(), SIGKILL)));
    say("fork: %s", result(fork()));
    say("mmap a file descriptor: %s", result(mmap(NULL, 4096, PROT_READ, MAP_SHARED, 1, 0) == MAP_FAILED ? -1 : 0));
    void *anon = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    say("mmap anonymous memory: %s", result(anon == MAP_FAILED ? -1 : 0));
    char *heap = malloc(4 << 20);
    if (heap)
        memset(heap, 1, 4 << 20);
    say("malloc 4 MiB: %s", heap ? "allowed" : "refused");
    free(heap);
    microkit_mr_set(0, 41);
    microkit_msginfo r = microkit_ppcall(1, microkit_msginfo_new(3, 1));
    say("ppcall: label %U, MR0 %U", microkit_msginfo_get_label(r), microkit_mr_get(0));
    say("crashing");
    crash();
}

void notified(microkit_channel ch) { say("notified by channel %u", ch); }
