/* virtio_slot.c — an empty virtio-mmio slot of the QEMU virt boards: its registers answer with
 * DeviceID 0, which VIRTIO 1.2 (4.2.2) reserves for a placeholder with no device behind it, so a
 * driver probing the slots skips it, as on QEMU. */
#include <stdlib.h>

#include "devices/virtio.h"

static int slot_create(struct device *d, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    struct virtio *v = calloc(1, sizeof *v);
    if (!v)
        return -1;
    d->state = v;
    virtio_init(d);
    return 0;
}

static void slot_destroy(struct device *d)
{
    free(d->state);
}

const struct device_model device_virtio_mmio_slot = {
    .name = "virtio-mmio",
    .summary = "an empty virtio-mmio slot (DeviceID 0)",
    .create = slot_create,
    .start = virtio_start,
    .mmio_read = virtio_mmio_read,
    .mmio_write = virtio_mmio_write,
    .destroy = slot_destroy,
};
