/* probes.h — host calls a sandboxed PD tries, saying which it was allowed. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/pd.h"

static const char *outcome(int rc) { return rc >= 0 ? "allowed" : errno == EPERM ? "refused" : strerror(errno); }

static void probe_host_calls(bool reading)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    say("socket: %s", outcome(fd));
    if (fd >= 0)
        close(fd);
    char path[128];
    snprintf(path, sizeof path, "/tmp/hostkit-escape-%s", microkit_name);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    say("create a file: %s", outcome(fd));
    if (fd >= 0) {
        close(fd);
        unlink(path);
    }
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    say("fork: %s", outcome(pid));
    if (pid > 0)
        waitpid(pid, NULL, 0);
    say("signal process 1: %s", outcome(kill(1, 0)));
    if (reading) {
        fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
        say("read /etc/passwd: %s", outcome(fd));
        if (fd >= 0)
            close(fd);
    }
}
