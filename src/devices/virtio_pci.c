/* virtio_pci.c — the virtio-over-PCI transport of virtio.h, as the VIRTIO 1.2 specification
 * lays it out: the PCI capabilities of 4.1.4 (common, notify, ISR and device configuration, all in
 * BAR 4), the common configuration structure of 4.1.4.3, the ISR status of 4.1.4.5 (read to clear,
 * the INTx line high while it is not zero) and queue notifications of 4.1.4.4 (at queue_notify_off
 * times the multiplier); the queues themselves are virtio.c's. The PCI header is a type 0 header of a transitional virtio device (vendor 0x1af4), with
 * BAR 4 a 64-bit memory BAR at the device's address. */
#include <string.h>

#include "devices/virtio.h"

/* ---- the PCI configuration space ---- */
enum { CAP_COMMON = 0x40, CAP_ISR = 0x50, CAP_DEVICE = 0x60, CAP_NOTIFY = 0x70 };

static void put16(uint8_t *b, unsigned off, uint16_t v) { b[off] = (uint8_t)v, b[off + 1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *b, unsigned off, uint32_t v)
{
    for (unsigned k = 0; k < 4; k++)
        b[off + k] = (uint8_t)(v >> (8 * k));
}
static void put64(uint8_t *b, unsigned off, uint64_t v)
{
    put32(b, off, (uint32_t)v);
    put32(b, off + 4, (uint32_t)(v >> 32));
}
static uint64_t get(const uint8_t *b, unsigned off, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned k = 0; k < bytes; k++)
        v |= (uint64_t)b[off + k] << (8 * k);
    return v;
}

static void cap(uint8_t *b, unsigned at, unsigned next, uint8_t type, uint32_t offset, unsigned len)
{
    b[at] = 0x09; /* vendor-specific */
    b[at + 1] = (uint8_t)next;
    b[at + 2] = (uint8_t)len;
    b[at + 3] = type;
    b[at + 4] = 4; /* BAR 4 */
    put32(b, at + 8, offset);
    put32(b, at + 12, 0x1000);
}

static void config_image(const struct device *d, uint8_t b[256])
{
    const struct virtio *v = d->state;
    memset(b, 0, 256);
    put16(b, 0x00, 0x1af4);
    put16(b, 0x02, v->pci_device_id);
    put16(b, 0x04, v->command);
    put16(b, 0x06, 0x0010); /* a capability list */
    b[0x08] = 0;            /* revision 0: transitional */
    b[0x0a] = v->subclass;
    b[0x0b] = v->class_code;
    b[0x0e] = 0; /* header type 0 */
    /* BAR 4: 64-bit memory at the device's address, BAR 5 its upper half; sizing reads the size */
    uint32_t lo = (uint32_t)d->mmio_base | 0x4, hi = (uint32_t)(d->mmio_base >> 32);
    if (v->bar_write[4] == 0xffffffffu)
        lo = ~(uint32_t)(VIRTIO_BAR_SIZE - 1) | 0x4;
    if (v->bar_write[5] == 0xffffffffu)
        hi = 0xffffffffu;
    put32(b, 0x20, lo);
    put32(b, 0x24, hi);
    put16(b, 0x2c, 0x1af4);  /* subsystem vendor */
    put16(b, 0x2e, v->type); /* subsystem id: the virtio device type */
    b[0x34] = CAP_COMMON;
    b[0x3c] = v->interrupt_line;
    b[0x3d] = 1; /* INTA# */
    cap(b, CAP_COMMON, CAP_ISR, 1, VIRTIO_BAR_COMMON, 16);
    cap(b, CAP_ISR, CAP_DEVICE, 3, VIRTIO_BAR_ISR, 16);
    cap(b, CAP_DEVICE, CAP_NOTIFY, 4, VIRTIO_BAR_DEVICE, 16);
    cap(b, CAP_NOTIFY, 0, 2, VIRTIO_BAR_NOTIFY, 20);
    put32(b, CAP_NOTIFY + 16, VIRTIO_NOTIFY_MULTIPLIER);
}

uint32_t virtio_pci_config_read(struct device *d, unsigned offset, unsigned bytes)
{
    uint8_t b[256];
    if (offset + bytes > 256)
        return ~0u;
    config_image(d, b);
    return (uint32_t)get(b, offset, bytes);
}

void virtio_pci_config_write(struct device *d, unsigned offset, unsigned bytes, uint32_t value)
{
    struct virtio *v = d->state;
    for (unsigned k = 0; k < bytes; k++) {
        unsigned at = offset + k;
        uint8_t byte = (uint8_t)(value >> (8 * k));
        if (at == 0x04 || at == 0x05)
            v->command = (uint16_t)((v->command & ~(0xffu << (8 * (at - 4)))) | (unsigned)byte << (8 * (at - 4)));
        else if (at >= 0x10 && at < 0x28) {
            unsigned bar = (at - 0x10) / 4, sh = 8 * ((at - 0x10) % 4);
            v->bar_write[bar] = (v->bar_write[bar] & ~(0xffu << sh)) | (uint32_t)byte << sh;
        } else if (at == 0x3c) {
            v->interrupt_line = byte;
        }
    }
}

/* ---- the BAR ---- */
/* The common configuration structure (4.1.4.3) as bytes. */
static void common_image(const struct virtio *v, uint8_t b[64])
{
    memset(b, 0, 64);
    put32(b, 0, v->device_feature_select);
    put32(b, 4, v->device_feature_select < 2 ? (uint32_t)(v->features >> (32 * v->device_feature_select)) : 0);
    put32(b, 8, v->driver_feature_select);
    put32(b, 12, v->driver_feature_select < 2 ? (uint32_t)(v->driver_features >> (32 * v->driver_feature_select)) : 0);
    put16(b, 16, 0xffff); /* config_msix_vector: no MSI-X */
    put16(b, 18, (uint16_t)v->nqueues);
    b[20] = v->status;
    b[21] = v->generation;
    put16(b, 22, v->queue_select);
    if (v->queue_select < v->nqueues) {
        const struct virtio_queue *q = &v->q[v->queue_select];
        put16(b, 24, q->size);
        put16(b, 26, 0xffff);
        put16(b, 28, q->enabled);
        put16(b, 30, v->queue_select); /* queue_notify_off */
        put64(b, 32, q->desc);
        put64(b, 40, q->avail);
        put64(b, 48, q->used);
    }
}

static void common_write(struct device *d, unsigned off, unsigned bytes, uint64_t value)
{
    struct virtio *v = d->state;
    uint8_t b[64];
    common_image(v, b);
    for (unsigned k = 0; k < bytes && off + k < 64; k++)
        b[off + k] = (uint8_t)(value >> (8 * k));
    struct virtio_queue *q = v->queue_select < v->nqueues ? &v->q[v->queue_select] : NULL;
    unsigned end = off + bytes;
    /* each field the write touched, as its new bytes say */
#define TOUCHES(at, size) (off < (at) + (size) && end > (at))
    if (TOUCHES(0, 4))
        v->device_feature_select = (uint32_t)get(b, 0, 4);
    if (TOUCHES(8, 4))
        v->driver_feature_select = (uint32_t)get(b, 8, 4);
    if (TOUCHES(12, 4) && v->driver_feature_select < 2) {
        /* the features the driver accepts, of those offered: bits the device did not offer are
         * dropped as they are written, as QEMU's transport does (sDDF's drivers write feature bit
         * numbers where masks belong, e.g. 32 for VIRTIO_F_VERSION_1, and still work there) */
        unsigned sh = 32 * v->driver_feature_select;
        v->driver_features = (v->driver_features & ~(0xffffffffull << sh)) | (get(b, 12, 4) << sh & v->features);
    }
    if (TOUCHES(20, 1)) {
        uint8_t status = b[20];
        if (status == 0) {
            virtio_reset(d);
            return;
        }
        /* FEATURES_OK (3.1.1): the accepted features are always a subset of the offered ones */
        v->status = status;
    }
    if (TOUCHES(22, 2))
        v->queue_select = (uint16_t)get(b, 22, 2);
    if (q && v->queue_select == (uint16_t)(q - v->q)) {
        if (TOUCHES(24, 2)) {
            uint16_t size = (uint16_t)get(b, 24, 2);
            if (size && size <= v->queue_max && !(size & (size - 1)))
                q->size = size;
        }
        if (TOUCHES(28, 2)) {
            q->enabled = get(b, 28, 2) & 1;
            q->last_avail = q->used_idx = 0;
        }
        if (TOUCHES(32, 8))
            q->desc = get(b, 32, 8);
        if (TOUCHES(40, 8))
            q->avail = get(b, 40, 8);
        if (TOUCHES(48, 8))
            q->used = get(b, 48, 8);
    }
#undef TOUCHES
}

uint64_t virtio_pci_bar_read(struct device *d, uint64_t offset, unsigned bytes)
{
    struct virtio *v = d->state;
    if (offset < VIRTIO_BAR_ISR) {
        uint8_t b[64];
        if (offset + bytes > 64)
            return 0;
        common_image(v, b);
        return get(b, (unsigned)offset, bytes);
    }
    if (offset < VIRTIO_BAR_DEVICE) { /* ISR status: read to clear */
        uint8_t isr = v->isr;
        v->isr = 0;
        virtio_update_line(d);
        return offset == VIRTIO_BAR_ISR ? isr : 0;
    }
    if (offset < VIRTIO_BAR_NOTIFY)
        return v->ops->config_read ? v->ops->config_read(d, (unsigned)(offset - VIRTIO_BAR_DEVICE), bytes) : 0;
    return 0;
}

void virtio_pci_bar_write(struct device *d, uint64_t offset, unsigned bytes, uint64_t value)
{
    struct virtio *v = d->state;
    if (offset < VIRTIO_BAR_ISR) {
        common_write(d, (unsigned)offset, bytes, value);
    } else if (offset >= VIRTIO_BAR_NOTIFY) {
        unsigned q = (unsigned)(offset - VIRTIO_BAR_NOTIFY) / VIRTIO_NOTIFY_MULTIPLIER;
        if (q < v->nqueues && v->q[q].enabled && (v->status & 4) && v->ops->notify)
            v->ops->notify(d, q);
    }
    /* the ISR is read-only and the device configuration too: writes are ignored */
}

