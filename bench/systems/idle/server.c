/* server.c (bench idle) — exits inside protected(), so its caller stays blocked for good. */
#include <unistd.h>

#include <microkit.h>

void init(void) {}

void notified(microkit_channel ch) { (void)ch; }

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    (void)msginfo;
    _exit(0);
}
