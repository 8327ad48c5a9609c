/* boards.c — the boards `hostkit run --board` knows (the boards of hostkit's SDK tree,
 * mk/sdk/boards.txt, under Microkit's names) and the devices each has, where they sit and which
 * interrupt each raises. Every board has hostkit's virtual timer (hostkit's own device, at an
 * address no board uses). The facts of the real boards are the boards' conventions, as sDDF's
 * board files use them (x86_64_generic: COM1 at I/O port 0x3f8 on IOAPIC pin 4, the HPET at
 * 0xfed00000 on pin 2 in legacy routing; QEMU virt aarch64: the PL011 at 0x09000000 on SPI 1 = IRQ
 * 33 and 32 virtio-mmio slots from 0x0a000000, 0x200 apart, slot N on IRQ 48 + N; QEMU virt riscv64:
 * the NS16550A at 0x10000000 on PLIC IRQ 10 and 8 virtio-mmio slots from 0x10001000, 0x1000 apart,
 * slot N on IRQ 1 + N, as QEMU's device trees give them). On a real board seL4's debug console is its UART, which
 * seL4 writes CR LF line ends to. */
#include <string.h>

#include "devices/device.h"

/* hostkit's virtual timer: one page at 0x0ffe0000, IRQ 120. */
#define VTIMER {"vtimer", &device_vtimer, 0, 0, 0x0ffe0000u, 0x1000, -1, {{DEVICE_IRQ_LINE, 120, 0}}}
#define END {NULL, NULL, 0, 0, 0, 0, -1, {{0, 0, 0}}}
#define BDF(bus, dev, func) ((bus) << 8 | (dev) << 3 | (func))
#define PIN(n) {DEVICE_IRQ_IOAPIC, n, 0}

static const struct board_device only_vtimer[] = {VTIMER, END};

static const struct board_device x86_64_generic[] = {
    VTIMER,
    {"com1", &device_uart16550, 0x3f8, 8, 0, 0, -1, {PIN(4)}},
    /* the HPET's lines (hpet.c): legacy routes timer 0 to pin 2 and timer 1 to pin 8, and pins
     * 20-23 can be chosen */
    {"hpet", &device_hpet, 0, 0, 0xfed00000u, 0x400, -1, {PIN(2), PIN(8), PIN(20), PIN(21), PIN(22), PIN(23)}},
    /* PCI configuration mechanism #1 at 0xcf8/0xcfc, and the functions behind it: a virtio-blk at
     * 00:03.0 (where sDDF's virtio-PCI block driver looks, and QEMU puts it with addr=0x3.0), its
     * BAR 4 at 0xfe000000, INTx on IOAPIC pin 11, as sDDF's blk example maps and takes it */
    {"pci", &device_pci_host, 0xcf8, 8, 0, 0, -1, {{0, 0, 0}}},
    {"blk", &device_virtio_blk, 0, 0, 0xfe000000u, 0x4000, BDF(0, 3, 0), {PIN(11)}},
    /* a virtio-net at 00:02.0 (where sDDF's virtio-PCI network driver looks, and its CI puts it
     * with addr=0x2.0), its BAR 4 at 0xfe000000 and INTx on pin 11 too, as sDDF's echo_server maps
     * and takes it: QEMU's firmware gives the one virtio device sDDF's x86 examples run with that
     * address; here both are there, and the memory answers as the function the driver addressed
     * last through configuration space (monitor_devices.c) */
    {"net", &device_virtio_net, 0, 0, 0xfe000000u, 0x4000, BDF(0, 2, 0), {PIN(11)}},
    END,
};

/* QEMU virt's virtio-mmio slots, filled as sDDF's board file (tools/meta/board.py) expects them:
 * virtio-net in slot 0, virtio-blk in slot 1; hostkit puts virtio-console in slot 2; the rest are
 * empty (DeviceID 0). */
#define SLOT(name, model, base, size, n, irq0) {name, model, 0, 0, (base) + (n) * (size), size, -1, {{DEVICE_IRQ_LINE, (irq0) + (n), 0}}}
#define AARCH64_SLOT(name, model, n) SLOT(name, model, 0x0a000000u, 0x200, n, 48)
#define AARCH64_EMPTY(n) AARCH64_SLOT("virtio" #n, &device_virtio_mmio_slot, n)
#define RISCV64_SLOT(name, model, n) SLOT(name, model, 0x10001000u, 0x1000, n, 1)
#define RISCV64_EMPTY(n) RISCV64_SLOT("virtio" #n, &device_virtio_mmio_slot, n)

static const struct board_device qemu_virt_aarch64[] = {
    VTIMER,
    {"uart", &device_pl011, 0, 0, 0x09000000u, 0x1000, -1, {{DEVICE_IRQ_LINE, 33, 0}}},
    AARCH64_SLOT("net", &device_virtio_net, 0),
    AARCH64_SLOT("blk", &device_virtio_blk, 1),
    AARCH64_SLOT("console", &device_virtio_console, 2),
    AARCH64_EMPTY(3), AARCH64_EMPTY(4), AARCH64_EMPTY(5), AARCH64_EMPTY(6), AARCH64_EMPTY(7),
    AARCH64_EMPTY(8), AARCH64_EMPTY(9), AARCH64_EMPTY(10), AARCH64_EMPTY(11), AARCH64_EMPTY(12),
    AARCH64_EMPTY(13), AARCH64_EMPTY(14), AARCH64_EMPTY(15), AARCH64_EMPTY(16), AARCH64_EMPTY(17),
    AARCH64_EMPTY(18), AARCH64_EMPTY(19), AARCH64_EMPTY(20), AARCH64_EMPTY(21), AARCH64_EMPTY(22),
    AARCH64_EMPTY(23), AARCH64_EMPTY(24), AARCH64_EMPTY(25), AARCH64_EMPTY(26), AARCH64_EMPTY(27),
    AARCH64_EMPTY(28), AARCH64_EMPTY(29), AARCH64_EMPTY(30), AARCH64_EMPTY(31),
    END,
};

static const struct board_device qemu_virt_riscv64[] = {
    VTIMER,
    {"uart", &device_uart16550, 0, 0, 0x10000000u, 0x100, -1, {{DEVICE_IRQ_LINE, 10, 0}}},
    RISCV64_SLOT("net", &device_virtio_net, 0),
    RISCV64_SLOT("blk", &device_virtio_blk, 1),
    RISCV64_SLOT("console", &device_virtio_console, 2),
    RISCV64_EMPTY(3), RISCV64_EMPTY(4), RISCV64_EMPTY(5), RISCV64_EMPTY(6), RISCV64_EMPTY(7),
    END,
};

const struct board boards[] = {
    /* hostkit's own board prints debug output as a host program does: LF line ends */
    {"hostkit", "host", only_vtimer, false, 0, 0, NULL},
    /* RAM: QEMU's 2 GiB (-m size=2G) as the Microkit 2.0.1 SDK's kernels for these boards
     * describe their normal memory (platform_gen.json "memory"). */
    {"qemu_virt_aarch64", "aarch64", qemu_virt_aarch64, true, 0x60000000ull, 0xc0000000ull, psci_qemu_virt_smc},
    {"qemu_virt_riscv64", "riscv64", qemu_virt_riscv64, true, 0x80200000ull, 0x100000000ull, NULL},
    {"odroidc4", "aarch64", only_vtimer, true, 0, 0, NULL},
    {"maaxboard", "aarch64", only_vtimer, true, 0, 0, NULL},
    {"imx8mm_evk", "aarch64", only_vtimer, true, 0, 0, NULL},
    {"tqma8xqp1gb", "aarch64", only_vtimer, true, 0, 0, NULL},
    {"zcu102", "aarch64", only_vtimer, true, 0, 0, NULL},
    {"star64", "riscv64", only_vtimer, true, 0, 0, NULL},
    {"x86_64_generic", "x86_64", x86_64_generic, true, 0, 0, NULL},
    {NULL, NULL, NULL, false, 0, 0, NULL},
};

const struct board *board_find(const char *name)
{
    for (const struct board *b = boards; b->name; b++)
        if (!strcmp(b->name, name))
            return b;
    return NULL;
}

const struct device_model *device_model_find(const char *name)
{
    static const struct device_model *const models[] = {
        &device_vtimer,     &device_uart16550,  &device_pl011,          &device_hpet,
        &device_pci_host,   &device_virtio_blk, &device_virtio_net,     &device_virtio_console,
        &device_virtio_mmio_slot};
    for (size_t k = 0; k < sizeof models / sizeof *models; k++)
        if (!strcmp(models[k]->name, name))
            return models[k];
    return NULL;
}
