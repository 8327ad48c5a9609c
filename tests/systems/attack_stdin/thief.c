/* thief: reads its standard input (tests/test_attacks_pd.c): with --irq-stdin it would take IRQ
 * lines meant for the monitor, were its stdin the monitor's. */
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../common/pd.h"

void init(void)
{
    struct stat st;
    bool null = fstat(0, &st) == 0 && S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3;
    say("its stdin is /dev/null: %s", null ? "yes" : "no");
    say("listening");
    /* whatever comes within a second; the test writes its IRQ lines after "listening" */
    unsigned long taken = 0;
    for (int i = 0; i < 10; i++) {
        struct pollfd p = {0, POLLIN, 0};
        if (poll(&p, 1, 100) == 1) {
            char buf[256];
            ssize_t n = read(0, buf, sizeof buf);
            if (n <= 0)
                break; /* end of input */
            taken += (unsigned long)n;
        }
    }
    say("took %U bytes of the monitor's input", (seL4_Word)taken);
}

void notified(microkit_channel ch) { say("notified by channel %u", ch); }
