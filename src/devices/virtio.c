/* virtio.c — the transport-free part of a virtio device (virtio.h): its reset (VIRTIO 1.2, 2.4),
 * its interrupt (a used-buffer notification, 2.3: interrupt status bit 0, the line high while the
 * status is not 0), the split virtqueues of 2.7 (descriptor table, available ring, used ring), read
 * and written through the host's DMA (the regions the driver's physical addresses are in), and the
 * entry points a device model gives the monitor, which pass each access to the device's transport
 * (virtio_pci.c on a PCI function, virtio_mmio.c in a virtio-mmio slot). */
#include <string.h>

#include "devices/virtio.h"

void virtio_init(struct device *d)
{
    struct virtio *v = d->state;
    v->transport = d->pci_bdf >= 0 ? VIRTIO_PCI : VIRTIO_MMIO;
    d->trap = true;
}

void virtio_start(struct device *d)
{
    struct virtio *v = d->state;
    v->interrupt_line = d->nirqs ? (uint8_t)d->irq[0].number : 0;
    virtio_reset(d);
}

void virtio_update_line(struct device *d)
{
    struct virtio *v = d->state;
    if (d->nirqs)
        d->host->set_irq(d->host->ctx, d, 0, v->isr != 0);
}

void virtio_reset(struct device *d)
{
    struct virtio *v = d->state;
    v->device_feature_select = v->driver_feature_select = 0;
    v->driver_features = 0;
    v->status = 0;
    v->queue_select = 0;
    v->shm_select = 0;
    v->isr = 0;
    for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++)
        v->q[q] = (struct virtio_queue){.size = v->queue_max};
    if (v->ops && v->ops->reset)
        v->ops->reset(d);
    virtio_update_line(d);
}

static uint64_t get(const volatile uint8_t *b, unsigned off, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned k = 0; k < bytes; k++)
        v |= (uint64_t)b[off + k] << (8 * k);
    return v;
}

/* ---- split virtqueues (2.7) ---- */
static void *dma(struct device *d, uint64_t paddr, uint64_t len)
{
    return d->host->dma(d->host->ctx, paddr, len);
}

bool virtio_queue_next(struct device *d, unsigned qi, uint16_t *head)
{
    struct virtio_queue *q = &((struct virtio *)d->state)->q[qi];
    volatile uint16_t *avail = dma(d, q->avail, 4 + 2u * q->size);
    if (!avail || avail[1] == q->last_avail)
        return false;
    __atomic_thread_fence(__ATOMIC_ACQUIRE); /* the ring entry after the index the driver wrote */
    *head = avail[2 + q->last_avail % q->size];
    q->last_avail++;
    return true;
}

bool virtio_queue_pending(struct device *d, unsigned qi)
{
    struct virtio_queue *q = &((struct virtio *)d->state)->q[qi];
    volatile uint16_t *avail = q->enabled ? dma(d, q->avail, 4) : NULL;
    return avail && avail[1] != q->last_avail;
}

void virtio_queue_put_back(struct device *d, unsigned qi)
{
    ((struct virtio *)d->state)->q[qi].last_avail--;
}

bool virtio_queue_desc(struct device *d, unsigned qi, uint16_t i, struct virtio_desc *out)
{
    struct virtio_queue *q = &((struct virtio *)d->state)->q[qi];
    if (i >= q->size)
        return false;
    const volatile uint8_t *p = dma(d, q->desc + 16u * i, 16);
    if (!p)
        return false;
    out->addr = get(p, 0, 8);
    out->len = (uint32_t)get(p, 8, 4);
    out->flags = (uint16_t)get(p, 12, 2);
    out->next = (uint16_t)get(p, 14, 2);
    return true;
}

void virtio_queue_done(struct device *d, unsigned qi, uint16_t head, uint32_t len)
{
    struct virtio_queue *q = &((struct virtio *)d->state)->q[qi];
    volatile uint8_t *used = dma(d, q->used, 4 + 8u * q->size);
    if (!used)
        return;
    volatile uint32_t *elem = (volatile uint32_t *)(used + 4 + 8u * (q->used_idx % q->size));
    elem[0] = head;
    elem[1] = len;
    __atomic_thread_fence(__ATOMIC_RELEASE); /* the element before the index */
    q->used_idx++;
    *(volatile uint16_t *)(used + 2) = q->used_idx;
}

void virtio_interrupt(struct device *d)
{
    struct virtio *v = d->state;
    v->isr |= 1;
    virtio_update_line(d);
}

unsigned virtio_queue_chain(struct device *d, unsigned q, uint16_t head,
                            struct virtio_desc desc[VIRTIO_CHAIN_MAX])
{
    unsigned n = 0;
    for (uint16_t i = head; n < VIRTIO_CHAIN_MAX;) {
        if (!virtio_queue_desc(d, q, i, &desc[n]))
            return 0;
        if (!(desc[n++].flags & VIRTQ_DESC_F_NEXT))
            return n;
        i = desc[n - 1].next;
    }
    return 0; /* too long, or a loop */
}
