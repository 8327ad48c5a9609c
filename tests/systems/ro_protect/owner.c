/* Writes a value into the shared region, and checks it when the reader is done. */
#include <microkit.h>

static volatile seL4_Word *const data = (volatile seL4_Word *)0x4000000;

void init(void)
{
    data[0] = 1234;
    microkit_dbg_puts("owner: wrote 1234\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
    microkit_dbg_puts(data[0] == 1234 ? "owner: still 1234\n" : "owner: CHANGED\n");
}
