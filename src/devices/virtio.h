/* virtio.h — what the virtio device models (virtio_blk.c, virtio_net.c, virtio_console.c) share,
 * after Virtual I/O Device (VIRTIO) Version 1.2: the device's common state (features, status,
 * interrupt status, the queues' configuration), the split virtqueues (2.7) the device reads its
 * requests from through DMA (virtio.c), and the two transports it may sit on — PCI (4.1,
 * virtio_pci.c: the PCI function's configuration space and its BAR) and MMIO (4.2,
 * virtio_mmio.c: a virtio-mmio slot's register block). A device model's side is transport-free:
 * its configuration structure, what a queue notification does, its reset.
 *
 * A device model's state starts with a struct virtio (the transport finds it at d->state). */
#ifndef HOSTKIT_VIRTIO_H
#define HOSTKIT_VIRTIO_H

#include <stdbool.h>
#include <stdint.h>

#include "devices/device.h"

#define VIRTIO_MAX_QUEUES 4
#define VIRTIO_F_VERSION_1 (1ull << 32)
#define VIRTQ_DESC_F_NEXT 1
#define VIRTQ_DESC_F_WRITE 2

/* virtio-PCI's BAR layout (BAR 4, as QEMU lays out a modern virtio-pci device, where sDDF's
 * transport maps each part at a page of its own). */
enum {
    VIRTIO_BAR_COMMON = 0x0000,
    VIRTIO_BAR_ISR = 0x1000,
    VIRTIO_BAR_DEVICE = 0x2000,
    VIRTIO_BAR_NOTIFY = 0x3000,
    VIRTIO_BAR_SIZE = 0x4000,
    VIRTIO_NOTIFY_MULTIPLIER = 4
};

/* The transport a device sits on: a PCI function (the board gives it a pci_bdf) or a virtio-mmio
 * slot (4.2). */
enum virtio_transport { VIRTIO_PCI = 1, VIRTIO_MMIO };

struct virtio_queue {
    uint16_t size; /* as the driver set it (the device's maximum until then) */
    bool enabled;
    uint64_t desc, avail, used; /* physical addresses of the three parts */
    uint16_t last_avail;        /* the next avail ring entry to take */
    uint16_t used_idx;          /* the device's used ring index */
};

struct virtio_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
};

struct virtio_device_ops {
    /* the device configuration structure (at VIRTIO_BAR_DEVICE), BYTES at OFFSET */
    uint64_t (*config_read)(struct device *d, unsigned offset, unsigned bytes);
    /* the driver wrote queue Q's notification */
    void (*notify)(struct device *d, unsigned q);
    /* the driver reset the device (device_status 0) */
    void (*reset)(struct device *d);
};

struct virtio {
    /* what the device is, set by its model */
    uint16_t pci_device_id; /* 0x1000 + type - 1 for a transitional device (net 0x1000, blk 0x1001) */
    uint16_t type;          /* the virtio device id: 1 net, 2 blk, 3 console */
    uint8_t class_code, subclass;
    uint64_t features; /* offered */
    unsigned nqueues;
    uint16_t queue_max;
    const struct virtio_device_ops *ops;
    /* the transport's state (virtio_init chooses the transport) */
    enum virtio_transport transport;
    uint32_t device_feature_select, driver_feature_select;
    uint64_t driver_features;
    uint8_t status, generation, isr;
    uint16_t queue_select;
    struct virtio_queue q[VIRTIO_MAX_QUEUES];
    uint16_t command;
    uint32_t bar_write[6];  /* what was last written to each BAR (all ones: being sized) */
    uint8_t interrupt_line; /* PCI */
    uint32_t shm_select;    /* MMIO */
};

/* The transport's side of a virtio device model (virtio.c). A model's create fills in what the
 * device is and calls virtio_init; its start calls virtio_start; its device_model points mmio_read,
 * mmio_write, pci_read and pci_write at these four, which serve the transport the device is on. */
void virtio_init(struct device *d);
void virtio_start(struct device *d);
uint64_t virtio_mmio_read(struct device *d, uint64_t offset, unsigned bytes);
void virtio_mmio_write(struct device *d, uint64_t offset, unsigned bytes, uint64_t value);
uint32_t virtio_pci_read(struct device *d, unsigned offset, unsigned bytes);
void virtio_pci_write(struct device *d, unsigned offset, unsigned bytes, uint32_t value);
/* The driver reset the device (device_status 0, either transport): queues and features forgotten. */
void virtio_reset(struct device *d);
/* The interrupt line follows the interrupt status (high while it is not 0). */
void virtio_update_line(struct device *d);

/* The transports (virtio_pci.c, virtio_mmio.c). */
uint32_t virtio_pci_config_read(struct device *d, unsigned offset, unsigned bytes);
void virtio_pci_config_write(struct device *d, unsigned offset, unsigned bytes, uint32_t value);
uint64_t virtio_pci_bar_read(struct device *d, uint64_t offset, unsigned bytes);
void virtio_pci_bar_write(struct device *d, uint64_t offset, unsigned bytes, uint64_t value);
uint64_t virtio_mmio_regs_read(struct device *d, uint64_t offset, unsigned bytes);
void virtio_mmio_regs_write(struct device *d, uint64_t offset, unsigned bytes, uint64_t value);

/* Queue Q's next available chain, its head into *HEAD; false when the driver has offered none. */
bool virtio_queue_next(struct device *d, unsigned q, uint16_t *head);
/* The driver has offered a chain in queue Q that the device has not taken. */
bool virtio_queue_pending(struct device *d, unsigned q);
/* The chain virtio_queue_next gave last is not taken after all: it comes next again. */
void virtio_queue_put_back(struct device *d, unsigned q);
/* Descriptor I of queue Q into *DESC; false when it is out of the table or its memory is no region. */
bool virtio_queue_desc(struct device *d, unsigned q, uint16_t i, struct virtio_desc *desc);
/* The longest descriptor chain a device model follows (a longer one, or a loop, is broken). */
#define VIRTIO_CHAIN_MAX 64
/* The descriptors of the chain at HEAD of queue Q into DESC, following each one's next while its
 * VIRTQ_DESC_F_NEXT is set (2.7.5); their number, 0 for a broken chain (a descriptor out of the
 * table or of every region, more than VIRTIO_CHAIN_MAX, or a loop). */
unsigned virtio_queue_chain(struct device *d, unsigned q, uint16_t head,
                            struct virtio_desc desc[VIRTIO_CHAIN_MAX]);
/* The chain at HEAD is done, LEN bytes written into it: into the used ring. */
void virtio_queue_done(struct device *d, unsigned q, uint16_t head, uint32_t len);
/* A used-buffer notification: ISR bit 0, the interrupt line high until the driver reads the ISR. */
void virtio_interrupt(struct device *d);

#endif
