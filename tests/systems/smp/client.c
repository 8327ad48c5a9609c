/* Makes 10000 ppcalls to a server on another CPU, checking each reply, then notifies it. */
#include <microkit.h>

void init(void)
{
    for (seL4_Word i = 0; i < 10000; i++) {
        microkit_mr_set(0, i);
        microkit_mr_set(1, ~i);
        microkit_msginfo r = microkit_ppcall(1, microkit_msginfo_new(i + 1, 2));
        if (microkit_msginfo_get_label(r) != i + 2 || microkit_mr_get(0) != i * 3 || microkit_mr_get(1) != i) {
            microkit_dbg_puts("client: wrong reply\n");
            return;
        }
    }
    microkit_dbg_puts("client: 10000 replies correct\n");
    microkit_notify(1);
}

void notified(microkit_channel ch) { (void)ch; }
