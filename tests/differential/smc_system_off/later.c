/* later: the lower-priority PD, whose init would run once the caller's init is done. */
#include <microkit.h>

void init(void)
{
    microkit_dbg_puts("later: init\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
