/* Answers ppcalls with a reply that depends on every word; tells the watcher when notified. */
#include <microkit.h>

static seL4_Word calls;

void init(void) { microkit_dbg_puts("server: init on CPU 1\n"); }

void notified(microkit_channel ch)
{
    microkit_dbg_puts("server: notified on ");
    microkit_dbg_put32(ch);
    microkit_dbg_puts(calls == 10000 ? " after 10000 calls\n" : " too early\n");
    microkit_notify(3);
}

microkit_msginfo protected(microkit_channel ch, microkit_msginfo msginfo)
{
    (void)ch;
    calls++;
    seL4_Word a = microkit_mr_get(0), b = microkit_mr_get(1);
    microkit_mr_set(0, a * 3);
    microkit_mr_set(1, ~b);
    return microkit_msginfo_new(microkit_msginfo_get_label(msginfo) + 1, 2);
}
