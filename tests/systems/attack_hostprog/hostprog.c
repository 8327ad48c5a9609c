/* hostprog: a program image that is any host program (tests/test_attacks_pd.c): it defines main,
 * so libhostkit's start is never linked in, and reports on its stdout. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *outcome(int rc) { return rc >= 0 ? "allowed" : errno == EPERM ? "refused" : strerror(errno); }

int main(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    printf("hostprog: socket: %s\n", outcome(fd));
    fd = open("/tmp/hostkit-escape-hostprog", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    printf("hostprog: create a file: %s\n", outcome(fd));
    if (fd >= 0)
        unlink("/tmp/hostkit-escape-hostprog");
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    printf("hostprog: fork: %s\n", outcome(pid));
    if (pid > 0)
        waitpid(pid, NULL, 0);
    printf("hostprog: signal its parent: %s\n", outcome(kill(getppid(), 0)));
    fflush(stdout);
    return 0;
}
