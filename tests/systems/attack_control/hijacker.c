/* hijacker: a PD driving the run through the monitor's control channel (tests/test_attacks_pd.c):
 * every Unix socket /tmp/hostkit-attack-control-* is asked to notify victim on channel 1. */
#include <dirent.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../common/pd.h"

void init(void)
{
    unsigned found = 0, answered = 0;
    DIR *d = opendir("/tmp");
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, "hostkit-attack-control-", 23) || strlen(e->d_name) > 90)
            continue;
        found++;
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        snprintf(sa.sun_path, sizeof sa.sun_path, "/tmp/%.90s", e->d_name);
        int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof sa) < 0) {
            if (s >= 0)
                close(s);
            continue;
        }
        static const char cmd[] = "notify victim 1\n";
        char reply[64] = "";
        struct pollfd p = {s, POLLIN, 0};
        if (write(s, cmd, sizeof cmd - 1) == (ssize_t)sizeof cmd - 1 && poll(&p, 1, 2000) == 1 &&
            read(s, reply, sizeof reply - 1) > 0 && !strncmp(reply, "ok", 2))
            answered++;
        close(s);
    }
    if (d)
        closedir(d);
    say("found control sockets: %s; answered: %u", found ? "yes" : "no", answered);
}

void notified(microkit_channel ch) { say("notified by channel %u", ch); }
