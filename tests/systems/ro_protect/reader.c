/* A test PD (host calls allowed): tries to turn its read-only mapping writable with mprotect. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include <microkit.h>

void init(void)
{
    void *page = (void *)0x5000000;
    if (mprotect(page, 0x1000, PROT_READ | PROT_WRITE) == 0) {
        *(volatile seL4_Word *)page = 666;
        microkit_dbg_puts("reader: made the read-only map writable\n");
    } else {
        microkit_dbg_puts("reader: mprotect refused: ");
        microkit_dbg_puts(strerror(errno));
        microkit_dbg_puts("\n");
    }
    microkit_notify(1);
}

void notified(microkit_channel ch) { (void)ch; }
