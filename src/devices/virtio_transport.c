/* virtio_transport.c — the entry points a virtio device model gives the monitor (its
 * device_model's mmio_read, mmio_write, pci_read and pci_write: virtio.h), which pass each access
 * to the transport the device is on: virtio_pci.c on a PCI function, virtio_mmio.c in a
 * virtio-mmio slot. Above both transports, so that neither they nor virtio.c, which they share,
 * call back up. */
#include "devices/virtio.h"

uint64_t virtio_mmio_read(struct device *d, uint64_t offset, unsigned bytes)
{
    struct virtio *v = d->state;
    return v->transport == VIRTIO_PCI ? virtio_pci_bar_read(d, offset, bytes)
                                      : virtio_mmio_regs_read(d, offset, bytes);
}

void virtio_mmio_write(struct device *d, uint64_t offset, unsigned bytes, uint64_t value)
{
    struct virtio *v = d->state;
    if (v->transport == VIRTIO_PCI)
        virtio_pci_bar_write(d, offset, bytes, value);
    else
        virtio_mmio_regs_write(d, offset, bytes, value);
}

/* Configuration space is the PCI function's only: in a virtio-mmio slot the device is no function. */
uint32_t virtio_pci_read(struct device *d, unsigned offset, unsigned bytes)
{
    struct virtio *v = d->state;
    return v->transport == VIRTIO_PCI ? virtio_pci_config_read(d, offset, bytes) : ~0u;
}

void virtio_pci_write(struct device *d, unsigned offset, unsigned bytes, uint32_t value)
{
    struct virtio *v = d->state;
    if (v->transport == VIRTIO_PCI)
        virtio_pci_config_write(d, offset, bytes, value);
}
