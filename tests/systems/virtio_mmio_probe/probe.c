/* Prints "slot N: magic M version V device D" for the eight virtio-mmio slots of the page mapped at
 * 0x5000000 (VIRTIO 1.2, 4.2.2: MagicValue 0x000, Version 0x004, DeviceID 0x008), then each
 * slot's QueueNumMax (0x034) of queue 1 once QueueSel (0x030) is written: a device with a second
 * queue (net, console) gives its size, the rest 0. */
#include <microkit.h>
#include <stdint.h>

static volatile uint32_t *slot(unsigned n)
{
    return (volatile uint32_t *)(0x5000000ul + 0x200ul * n);
}

static void put_hex(uint32_t v)
{
    char buf[11] = "0x";
    for (int k = 0; k < 8; k++)
        buf[2 + k] = "0123456789abcdef"[v >> (28 - 4 * k) & 0xf];
    buf[10] = 0;
    microkit_dbg_puts(buf);
}

void init(void)
{
    for (unsigned n = 0; n < 8; n++) {
        char s[] = "slot N: magic ";
        s[5] = (char)('0' + n);
        microkit_dbg_puts(s);
        put_hex(slot(n)[0]);
        microkit_dbg_puts(" version ");
        put_hex(slot(n)[1]);
        microkit_dbg_puts(" device ");
        put_hex(slot(n)[2]);
        microkit_dbg_puts("\n");
    }
    microkit_dbg_puts("queue 1 sizes:");
    for (unsigned n = 0; n < 8; n++) {
        slot(n)[0x030 / 4] = 1;
        microkit_dbg_puts(" ");
        put_hex(slot(n)[0x034 / 4]);
    }
    microkit_dbg_puts("\n");
}

void notified(microkit_channel ch)
{
    (void)ch;
}
