/* virtio_mmio.c — the virtio-over-MMIO transport of virtio.h, as VIRTIO 1.2, 4.2 lays it out: a
 * slot's register block (4.2.2, the non-legacy layout, Version 2), read and written access by
 * access (trapped): MagicValue "virt", Version, DeviceID (0 in an empty slot, which a driver
 * ignores, 4.2.3.1.1), VendorID, the device and driver feature words behind their selectors, the
 * queue registers behind QueueSel (QueueNumMax, QueueNum, QueueReady, the three parts' addresses
 * as low and high words), QueueNotify (the queue's index: VIRTIO_F_NOTIFICATION_DATA is not
 * offered), InterruptStatus and InterruptACK (the line high while a bit is set), Status (0 resets
 * the device), the shared memory registers (no regions: SHMLen reads all ones), QueueReset,
 * ConfigGeneration, and the device configuration from 0x100. Registers are 32 bits wide; a
 * narrower read gives the low bytes of the register it falls in. Writes to read-only registers and
 * to a queue that does not exist are ignored. */
#include "devices/virtio.h"

enum {
    MAGIC = 0x000,
    VERSION = 0x004,
    DEVICE_ID = 0x008,
    VENDOR_ID = 0x00c,
    DEVICE_FEATURES = 0x010,
    DEVICE_FEATURES_SEL = 0x014,
    DRIVER_FEATURES = 0x020,
    DRIVER_FEATURES_SEL = 0x024,
    QUEUE_SEL = 0x030,
    QUEUE_NUM_MAX = 0x034,
    QUEUE_NUM = 0x038,
    QUEUE_READY = 0x044,
    QUEUE_NOTIFY = 0x050,
    INTERRUPT_STATUS = 0x060,
    INTERRUPT_ACK = 0x064,
    STATUS = 0x070,
    QUEUE_DESC_LOW = 0x080,
    QUEUE_DESC_HIGH = 0x084,
    QUEUE_DRIVER_LOW = 0x090,
    QUEUE_DRIVER_HIGH = 0x094,
    QUEUE_DEVICE_LOW = 0x0a0,
    QUEUE_DEVICE_HIGH = 0x0a4,
    SHM_SEL = 0x0ac,
    SHM_LEN_LOW = 0x0b0,
    SHM_LEN_HIGH = 0x0b4,
    SHM_BASE_LOW = 0x0b8,
    SHM_BASE_HIGH = 0x0bc,
    QUEUE_RESET = 0x0c0,
    CONFIG_GENERATION = 0x0fc,
    CONFIG = 0x100,
};
#define MAGIC_VALUE 0x74726976u /* "virt", little-endian */
#define VENDOR 0x1af4u          /* the virtio vendor id PCI uses */
#define STATUS_DRIVER_OK 4

static struct virtio_queue *selected(struct virtio *v)
{
    return v->queue_select < v->nqueues ? &v->q[v->queue_select] : NULL;
}

static uint32_t read_reg(struct device *d, unsigned reg)
{
    struct virtio *v = d->state;
    struct virtio_queue *q = selected(v);
    switch (reg) {
    case MAGIC:
        return MAGIC_VALUE;
    case VERSION:
        return 2;
    case DEVICE_ID:
        return v->type;
    case VENDOR_ID:
        return v->type ? VENDOR : 0;
    case DEVICE_FEATURES:
        return v->device_feature_select < 2 ? (uint32_t)(v->features >> (32 * v->device_feature_select)) : 0;
    case QUEUE_NUM_MAX:
        return q ? v->queue_max : 0; /* 0: no such queue (4.2.2) */
    case QUEUE_NUM:
        return q ? q->size : 0;
    case QUEUE_READY:
        return q ? q->enabled : 0;
    case INTERRUPT_STATUS:
        return v->isr;
    case STATUS:
        return v->status;
    case SHM_LEN_LOW:
    case SHM_LEN_HIGH:
        return ~0u; /* no shared memory region of that id */
    case QUEUE_RESET:
        return 0;
    case CONFIG_GENERATION:
        return v->generation;
    default:
        return 0;
    }
}

static void set_half(uint64_t *addr, bool high, uint32_t value)
{
    unsigned sh = high ? 32 : 0;
    *addr = (*addr & ~(0xffffffffull << sh)) | (uint64_t)value << sh;
}

static void write_reg(struct device *d, unsigned reg, uint32_t value)
{
    struct virtio *v = d->state;
    struct virtio_queue *q = selected(v);
    switch (reg) {
    case DEVICE_FEATURES_SEL:
        v->device_feature_select = value;
        return;
    case DRIVER_FEATURES_SEL:
        v->driver_feature_select = value;
        return;
    case DRIVER_FEATURES:
        if (v->driver_feature_select < 2) { /* only what was offered is accepted, as on PCI */
            unsigned sh = 32 * v->driver_feature_select;
            v->driver_features =
                (v->driver_features & ~(0xffffffffull << sh)) | ((uint64_t)value << sh & v->features);
        }
        return;
    case QUEUE_SEL:
        v->queue_select = (uint16_t)value;
        return;
    case QUEUE_NUM:
        if (q && value && value <= v->queue_max)
            q->size = (uint16_t)value;
        return;
    case QUEUE_READY:
        if (q) {
            q->enabled = value & 1;
            q->last_avail = q->used_idx = 0;
        }
        return;
    case QUEUE_RESET:
        if (q && (value & 1))
            *q = (struct virtio_queue){.size = v->queue_max};
        return;
    case QUEUE_DESC_LOW:
    case QUEUE_DESC_HIGH:
        if (q)
            set_half(&q->desc, reg == QUEUE_DESC_HIGH, value);
        return;
    case QUEUE_DRIVER_LOW:
    case QUEUE_DRIVER_HIGH:
        if (q)
            set_half(&q->avail, reg == QUEUE_DRIVER_HIGH, value);
        return;
    case QUEUE_DEVICE_LOW:
    case QUEUE_DEVICE_HIGH:
        if (q)
            set_half(&q->used, reg == QUEUE_DEVICE_HIGH, value);
        return;
    case QUEUE_NOTIFY:
        if (value < v->nqueues && v->q[value].enabled && (v->status & STATUS_DRIVER_OK) && v->ops &&
            v->ops->notify)
            v->ops->notify(d, value);
        return;
    case INTERRUPT_ACK:
        v->isr &= (uint8_t)~value;
        virtio_update_line(d);
        return;
    case STATUS:
        if (value == 0)
            virtio_reset(d);
        else
            v->status = (uint8_t)value; /* FEATURES_OK holds: the accepted features are offered ones */
        return;
    case SHM_SEL:
        v->shm_select = value;
        return;
    default:
        return;
    }
}

uint64_t virtio_mmio_regs_read(struct device *d, uint64_t offset, unsigned bytes)
{
    struct virtio *v = d->state;
    if (offset >= CONFIG)
        return v->ops && v->ops->config_read ? v->ops->config_read(d, (unsigned)(offset - CONFIG), bytes) : 0;
    uint64_t r = read_reg(d, (unsigned)offset & ~3u) >> (8 * (offset & 3));
    if (bytes == 8)
        r |= (uint64_t)read_reg(d, ((unsigned)offset & ~3u) + 4) << 32;
    return bytes == 8 ? r : r & ((1ull << (8 * bytes)) - 1);
}

void virtio_mmio_regs_write(struct device *d, uint64_t offset, unsigned bytes, uint64_t value)
{
    if (offset >= CONFIG)
        return; /* the device configuration is read-only here */
    write_reg(d, (unsigned)offset & ~3u, (uint32_t)value);
    if (bytes == 8) /* the low then the high word, as a 64-bit store of both halves */
        write_reg(d, ((unsigned)offset & ~3u) + 4, (uint32_t)(value >> 32));
}
