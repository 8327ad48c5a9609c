/* boards.c — the boards `hostkit run --board` knows (the boards of hostkit's SDK tree,
 * mk/sdk/boards.txt, under Microkit's names) and the devices each has, where they sit and which
 * interrupt each raises. Every board has hostkit's virtual timer (hostkit's own device, at an
 * address no board uses). The facts of the real boards are the boards' conventions, as sDDF's
 * board files use them (x86_64_generic: COM1 at I/O port 0x3f8 on IOAPIC pin 4, the HPET at
 * 0xfed00000 on pin 2 in legacy routing). */
#include <string.h>

#include "devices/device.h"

/* hostkit's virtual timer: one page at 0x0ffe0000, IRQ 120. */
#define VTIMER {"vtimer", &device_vtimer, 0, 0, 0x0ffe0000u, 0x1000, {DEVICE_IRQ_LINE, 120, 0}}
#define END {NULL, NULL, 0, 0, 0, 0, {0, 0, 0}}

static const struct board_device only_vtimer[] = {VTIMER, END};

static const struct board_device x86_64_generic[] = {
    VTIMER,
    {"com1", &device_uart16550, 0x3f8, 8, 0, 0, {DEVICE_IRQ_IOAPIC, 4, 0}},
    END,
};

const struct board boards[] = {
    {"hostkit", "host", only_vtimer},
    {"qemu_virt_aarch64", "aarch64", only_vtimer},
    {"qemu_virt_riscv64", "riscv64", only_vtimer},
    {"odroidc4", "aarch64", only_vtimer},
    {"maaxboard", "aarch64", only_vtimer},
    {"imx8mm_evk", "aarch64", only_vtimer},
    {"tqma8xqp1gb", "aarch64", only_vtimer},
    {"zcu102", "aarch64", only_vtimer},
    {"star64", "riscv64", only_vtimer},
    {"x86_64_generic", "x86_64", x86_64_generic},
    {NULL, NULL, NULL},
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
    static const struct device_model *const models[] = {&device_vtimer, &device_uart16550};
    for (size_t k = 0; k < sizeof models / sizeof *models; k++)
        if (!strcmp(models[k]->name, name))
            return models[k];
    return NULL;
}
