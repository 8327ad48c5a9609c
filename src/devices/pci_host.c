/* pci_host.c — the PC's PCI host bridge, configuration mechanism #1 (PCI Local Bus Specification
 * 3.0, 3.2.2.3.2): CONFIG_ADDRESS at I/O port 0xcf8 (bit 31 enable, bus 23-16, device 15-11,
 * function 10-8, register 7-2), CONFIG_DATA at 0xcfc-0xcff, through which the configuration space
 * of the function CONFIG_ADDRESS names is read and written, in 8-, 16- or 32-bit pieces at the byte
 * the data port's offset adds. The functions are the board's PCI devices (their pci_read and
 * pci_write, reached through the host's pci_config); where there is none a read gives all ones, as
 * a master abort does. */
#include <stdlib.h>

#include "devices/device.h"

struct pci_host {
    uint32_t address; /* CONFIG_ADDRESS */
};

static int pci_host_create(struct device *d, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    d->state = calloc(1, sizeof(struct pci_host));
    return d->state ? 0 : -1;
}

static uint32_t pci_host_in(struct device *d, uint64_t offset, unsigned bytes)
{
    struct pci_host *h = d->state;
    if (offset < 4)
        return offset == 0 && bytes == 4 ? h->address : ~0u;
    if (!(h->address & 0x80000000u))
        return bytes == 4 ? ~0u : (1u << (8 * bytes)) - 1;
    unsigned bdf = h->address >> 8 & 0xffff, reg = (h->address & 0xfc) + (unsigned)(offset - 4);
    return d->host->pci_config(d->host->ctx, bdf, reg, bytes, false, 0);
}

static void pci_host_out(struct device *d, uint64_t offset, unsigned bytes, uint32_t value)
{
    struct pci_host *h = d->state;
    if (offset == 0 && bytes == 4) {
        h->address = value & 0x80fffffcu;
        return;
    }
    if (offset < 4 || !(h->address & 0x80000000u))
        return;
    unsigned bdf = h->address >> 8 & 0xffff, reg = (h->address & 0xfc) + (unsigned)(offset - 4);
    d->host->pci_config(d->host->ctx, bdf, reg, bytes, true, value);
}

static void pci_host_destroy(struct device *d) { free(d->state); }

const struct device_model device_pci_host = {
    .name = "pci-host",
    .summary = "PCI configuration mechanism #1 (I/O ports 0xcf8, 0xcfc)",
    .create = pci_host_create,
    .port_in = pci_host_in,
    .port_out = pci_host_out,
    .destroy = pci_host_destroy,
};
