/* virtio_blk.c — a virtio block device (VIRTIO 1.2, 5.2) on PCI or in a virtio-mmio slot (virtio.h), its disk a host
 * file (`--device blk,file=DISK`): one request queue; each request a chain of a 16-byte header
 * (type, reserved, sector), the data, and a status byte the device writes (0 OK, 1 I/O error,
 * 2 unsupported). Requests are served when the driver notifies the queue, at once, in order:
 * VIRTIO_BLK_T_IN reads 512-byte sectors of the file into the data, T_OUT writes them, T_FLUSH
 * syncs the file, T_GET_ID gives "hostkit-blk"; then a used-buffer interrupt. The device
 * configuration is the capacity in sectors (the file's size / 512) and, with VIRTIO_BLK_F_BLK_SIZE,
 * a 512-byte block size. Without a file the disk is empty (capacity 0). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devices/virtio.h"

#define SECTOR 512u
#define QUEUE_MAX 256
enum { T_IN = 0, T_OUT = 1, T_FLUSH = 4, T_GET_ID = 8 };
enum { S_OK = 0, S_IOERR = 1, S_UNSUPP = 2 };
#define F_BLK_SIZE (1ull << 6)

struct virtio_blk {
    struct virtio vp; /* first: the transport finds it at d->state */
    int fd;
    char *path;
    uint64_t sectors;
    uint64_t requests, errors;
};

static uint64_t blk_config_read(struct device *d, unsigned offset, unsigned bytes)
{
    struct virtio_blk *b = d->state;
    uint8_t cfg[24] = {0};
    for (unsigned k = 0; k < 8; k++)
        cfg[k] = (uint8_t)(b->sectors >> (8 * k)); /* capacity */
    cfg[20] = SECTOR & 0xff, cfg[21] = SECTOR >> 8;  /* blk_size */
    uint64_t v = 0;
    for (unsigned k = 0; k < bytes && offset + k < sizeof cfg; k++)
        v |= (uint64_t)cfg[offset + k] << (8 * k);
    return v;
}

/* Copies between the file at *POS and the chain's data descriptor DESC (TO_GUEST: a read). */
static int transfer(struct device *d, struct virtio_blk *b, const struct virtio_desc *desc, uint64_t *pos, bool to_guest)
{
    uint8_t *mem = d->host->dma(d->host->ctx, desc->addr, desc->len);
    if (!mem || *pos + desc->len > b->sectors * SECTOR)
        return S_IOERR;
    ssize_t n = to_guest ? pread(b->fd, mem, desc->len, (off_t)*pos) : pwrite(b->fd, mem, desc->len, (off_t)*pos);
    if (n != (ssize_t)desc->len)
        return S_IOERR;
    *pos += desc->len;
    return S_OK;
}

static void serve(struct device *d, uint16_t head)
{
    struct virtio_blk *b = d->state;
    struct virtio_desc desc[64];
    unsigned n = 0;
    for (uint16_t i = head; n < 64; n++) {
        if (!virtio_queue_desc(d, 0, i, &desc[n])) {
            virtio_queue_done(d, 0, head, 0); /* a broken chain: nothing written */
            b->errors++;
            return;
        }
        if (!(desc[n].flags & VIRTQ_DESC_F_NEXT)) {
            n++;
            break;
        }
        i = desc[n].next;
    }
    uint8_t hdr[16];
    const uint8_t *h = n >= 2 && desc[0].len >= 16 ? d->host->dma(d->host->ctx, desc[0].addr, 16) : NULL;
    uint8_t *status = n >= 2 && desc[n - 1].len >= 1 && (desc[n - 1].flags & VIRTQ_DESC_F_WRITE)
                          ? d->host->dma(d->host->ctx, desc[n - 1].addr, 1)
                          : NULL;
    if (!h || !status) {
        virtio_queue_done(d, 0, head, 0);
        b->errors++;
        return;
    }
    memcpy(hdr, h, 16);
    uint32_t type = (uint32_t)hdr[0] | (uint32_t)hdr[1] << 8 | (uint32_t)hdr[2] << 16 | (uint32_t)hdr[3] << 24;
    uint64_t sector = 0;
    for (unsigned k = 0; k < 8; k++)
        sector |= (uint64_t)hdr[8 + k] << (8 * k);
    uint64_t pos = sector * SECTOR;
    uint32_t written = 1; /* the status byte */
    int st = S_OK;
    switch (type) {
    case T_IN:
    case T_OUT:
        if (b->fd < 0)
            st = S_IOERR;
        for (unsigned k = 1; k + 1 < n && st == S_OK; k++) {
            bool write_desc = desc[k].flags & VIRTQ_DESC_F_WRITE;
            if (write_desc != (type == T_IN)) { /* the data's direction is the request's */
                st = S_IOERR;
                break;
            }
            st = transfer(d, b, &desc[k], &pos, type == T_IN);
            if (type == T_IN && st == S_OK)
                written += desc[k].len;
        }
        break;
    case T_FLUSH:
        st = b->fd >= 0 && fsync(b->fd) == 0 ? S_OK : S_IOERR;
        break;
    case T_GET_ID:
        if (n >= 3 && (desc[1].flags & VIRTQ_DESC_F_WRITE)) {
            uint8_t *id = d->host->dma(d->host->ctx, desc[1].addr, desc[1].len < 20 ? desc[1].len : 20);
            if (id) {
                char want[20] = "hostkit-blk";
                memcpy(id, want, desc[1].len < 20 ? desc[1].len : 20);
                written += desc[1].len < 20 ? desc[1].len : 20;
            }
        }
        break;
    default: st = S_UNSUPP; break;
    }
    *status = (uint8_t)st;
    b->requests++;
    if (st != S_OK)
        b->errors++;
    virtio_queue_done(d, 0, head, written);
}

static void blk_notify(struct device *d, unsigned q)
{
    uint16_t head;
    bool any = false;
    while (q == 0 && virtio_queue_next(d, 0, &head)) {
        serve(d, head);
        any = true;
    }
    if (any)
        virtio_interrupt(d);
}

static const struct virtio_device_ops blk_ops = {blk_config_read, blk_notify, NULL};

static int blk_create(struct device *d, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    struct virtio_blk *b = calloc(1, sizeof *b);
    if (!b)
        return -1;
    b->fd = -1;
    b->vp.pci_device_id = 0x1001; /* transitional virtio-blk, as sDDF's driver looks for it */
    b->vp.type = 2;
    b->vp.class_code = 0x01; /* mass storage */
    b->vp.subclass = 0x00;   /* SCSI, as QEMU reports it */
    b->vp.features = VIRTIO_F_VERSION_1 | F_BLK_SIZE;
    b->vp.nqueues = 1;
    b->vp.queue_max = QUEUE_MAX;
    b->vp.ops = &blk_ops;
    d->state = b;
    virtio_init(d);
    return 0;
}

static int blk_option(struct device *d, const char *key, const char *value, char *err, size_t errlen)
{
    struct virtio_blk *b = d->state;
    if (strcmp(key, "file")) {
        snprintf(err, errlen, "%s (%s) takes %s, not '%s'", d->name, d->model->name, d->model->options, key);
        return -1;
    }
    int fd = open(value, O_RDWR | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        snprintf(err, errlen, "cannot open disk image '%s': %s", value, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    if (b->fd >= 0)
        close(b->fd);
    b->fd = fd;
    b->sectors = (uint64_t)st.st_size / SECTOR;
    free(b->path);
    b->path = strdup(value);
    return 0;
}

static void blk_destroy(struct device *d)
{
    struct virtio_blk *b = d->state;
    if (b->fd >= 0)
        close(b->fd);
    free(b->path);
    free(b);
}

const struct device_model device_virtio_blk = {
    .name = "virtio-blk",
    .summary = "a virtio block device (PCI or virtio-mmio), its disk a file",
    .options = "file=DISK (a disk image, read and written; default: no disk)",
    .create = blk_create,
    .option = blk_option,
    .start = virtio_start,
    .mmio_read = virtio_mmio_read,
    .mmio_write = virtio_mmio_write,
    .pci_read = virtio_pci_read,
    .pci_write = virtio_pci_write,
    .destroy = blk_destroy,
};
