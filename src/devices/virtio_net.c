/* virtio_net.c — a virtio network device (VIRTIO 1.2, 5.1) on PCI or in a virtio-mmio slot (virtio.h), plugged into
 * hostkit's user-space hub (net_hub.c: ARP, DHCP, an echo client; no host networking). Queue 0
 * receives, queue 1 transmits (5.1.2). Each packet is a struct virtio_net_hdr then the frame
 * (5.1.6), over a descriptor chain however the driver splits it; the header is 12 bytes when
 * VIRTIO_F_VERSION_1 or VIRTIO_NET_F_MRG_RXBUF was negotiated and 10 without (the num_buffers
 * field is only there with one of them, 5.1.6; sDDF's driver negotiates neither). Transmitted
 * packets are taken when the driver notifies queue 1, their header skipped (no offloads are
 * offered, so it asks for nothing, 5.1.6.2) and the frame given to the hub; the hub's frames
 * wait (up to PENDING_MAX, the oldest dropped after that) until the driver has offered receive
 * buffers in queue 0, and are written there with a zero header (num_buffers 1, 5.1.6.3.1). The
 * device configuration (5.1.4) is the MAC address (VIRTIO_NET_F_MAC). Options: `echo=N` UDP echo
 * round trips per leased client (default 10, 0: none), `port=P` the guest's UDP echo port
 * (default 1235, sDDF's echo_server's), `pcap=FILE` a capture of every frame, both ways. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/net_hub.h"
#include "devices/virtio.h"

#define QUEUE_MAX 256
#define RX_Q 0
#define TX_Q 1
#define F_MAC (1ull << 5)
#define F_MRG_RXBUF (1ull << 15)
#define PENDING_MAX 64
#define FRAME_MAX 1514
#define PACKET_MAX (12 + 65536)

struct frame {
    uint16_t len;
    uint8_t data[FRAME_MAX];
};

struct virtio_net {
    struct virtio vp; /* first: the transport finds it at d->state */
    struct device *d; /* set at each entry (the monitor may move a struct device before start) */
    struct net_hub *hub;
    struct net_hub_options hub_opt;
    uint8_t mac[6];
    struct frame pending[PENDING_MAX];
    unsigned head, count; /* the pending frames, oldest at head */
    uint64_t tx_frames, rx_frames, dropped, bad_chains;
    FILE *pcap; /* pcap=FILE: every frame, both ways */
    uint8_t rx_packet[PACKET_MAX], tx_packet[PACKET_MAX]; /* apart: the hub answers during a transmit */
};

static unsigned hdr_len(const struct virtio_net *n)
{
    return n->vp.driver_features & (VIRTIO_F_VERSION_1 | F_MRG_RXBUF) ? 12 : 10;
}

/* A frame into the pcap=FILE capture (the libpcap file format: a global header, then per packet
 * seconds, microseconds, captured and original length, little-endian; link type 1, Ethernet). */
static void capture(struct device *d, const uint8_t *frame, size_t len)
{
    struct virtio_net *n = d->state;
    if (!n->pcap)
        return;
    uint64_t t = d->host->now_ns(d->host->ctx);
    uint32_t rec[4] = {(uint32_t)(t / 1000000000u), (uint32_t)(t % 1000000000u / 1000u), (uint32_t)len, (uint32_t)len};
    fwrite(rec, sizeof rec, 1, n->pcap);
    fwrite(frame, 1, len, n->pcap);
    fflush(n->pcap);
}

static uint64_t net_config_read(struct device *d, unsigned offset, unsigned bytes)
{
    struct virtio_net *n = d->state;
    uint8_t cfg[8] = {0};
    memcpy(cfg, n->mac, 6); /* mac; status (no VIRTIO_NET_F_STATUS: not there) reads 0 */
    uint64_t v = 0;
    for (unsigned k = 0; k < bytes && offset + k < sizeof cfg; k++)
        v |= (uint64_t)cfg[offset + k] << (8 * k);
    return v;
}

/* Writes the pending frames into the receive buffers the driver offered, while there are both. */
static void deliver(struct device *d)
{
    struct virtio_net *n = d->state;
    struct virtio_queue *q = &n->vp.q[RX_Q];
    bool any = false;
    uint16_t head;
    while (n->count && q->enabled && (n->vp.status & 4) && virtio_queue_next(d, RX_Q, &head)) {
        struct frame *f = &n->pending[n->head];
        unsigned hl = hdr_len(n);
        memset(n->rx_packet, 0, hl);
        if (hl == 12)
            n->rx_packet[10] = 1; /* num_buffers */
        memcpy(n->rx_packet + hl, f->data, f->len);
        size_t total = hl + f->len, done = 0;
        struct virtio_desc desc[VIRTIO_CHAIN_MAX];
        unsigned nd = virtio_queue_chain(d, RX_Q, head, desc);
        for (unsigned k = 0; k < nd && done < total; k++) {
            if (!(desc[k].flags & VIRTQ_DESC_F_WRITE))
                continue;
            size_t len = desc[k].len < total - done ? desc[k].len : total - done;
            uint8_t *mem = d->host->dma(d->host->ctx, desc[k].addr, len);
            if (!mem)
                break;
            memcpy(mem, n->rx_packet + done, len);
            done += len;
        }
        if (done < total) { /* the buffers do not hold it, or are not memory: dropped */
            n->bad_chains++;
            done = 0;
        } else {
            n->rx_frames++;
        }
        virtio_queue_done(d, RX_Q, head, (uint32_t)done);
        n->head = (n->head + 1) % PENDING_MAX;
        n->count--;
        any = true;
    }
    if (any)
        virtio_interrupt(d);
}

/* The hub sends a frame to the guest. */
static void hub_send(void *ctx, const uint8_t *frame, size_t len)
{
    struct virtio_net *n = ctx;
    if (len > FRAME_MAX)
        return;
    if (n->count == PENDING_MAX) { /* the driver takes none: the oldest goes */
        n->head = (n->head + 1) % PENDING_MAX;
        n->count--;
        n->dropped++;
    }
    struct frame *f = &n->pending[(n->head + n->count) % PENDING_MAX];
    f->len = (uint16_t)len;
    memcpy(f->data, frame, len);
    capture(n->d, frame, len);
    n->count++;
    deliver(n->d);
}

static void transmit(struct device *d)
{
    struct virtio_net *n = d->state;
    uint16_t head;
    bool any = false;
    while (virtio_queue_next(d, TX_Q, &head)) {
        struct virtio_desc desc[VIRTIO_CHAIN_MAX];
        unsigned nd = virtio_queue_chain(d, TX_Q, head, desc);
        size_t total = 0;
        bool ok = nd > 0;
        for (unsigned k = 0; k < nd && ok; k++) {
            const uint8_t *mem = d->host->dma(d->host->ctx, desc[k].addr, desc[k].len);
            if ((desc[k].flags & VIRTQ_DESC_F_WRITE) || !mem || total + desc[k].len > sizeof n->tx_packet) {
                ok = false;
                break;
            }
            memcpy(n->tx_packet + total, mem, desc[k].len);
            total += desc[k].len;
        }
        unsigned hl = hdr_len(n);
        virtio_queue_done(d, TX_Q, head, 0); /* the device writes nothing into a transmit chain */
        any = true;
        if (!ok || total < hl) {
            n->bad_chains++;
            continue;
        }
        n->tx_frames++;
        capture(d, n->tx_packet + hl, total - hl);
        net_hub_input(n->hub, n->tx_packet + hl, total - hl, d->host->now_ns(d->host->ctx));
    }
    if (any)
        virtio_interrupt(d);
}

static void net_notify(struct device *d, unsigned q)
{
    ((struct virtio_net *)d->state)->d = d;
    if (q == TX_Q)
        transmit(d);
    else if (q == RX_Q)
        deliver(d);
}

static void net_reset(struct device *d)
{
    struct virtio_net *n = d->state;
    n->head = n->count = 0;
}

static const struct virtio_device_ops net_ops = {net_config_read, net_notify, net_reset};

static int net_create(struct device *d, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    struct virtio_net *n = calloc(1, sizeof *n);
    if (!n)
        return -1;
    n->vp.pci_device_id = 0x1000; /* transitional virtio-net, as sDDF's driver looks for it */
    n->vp.type = 1;
    n->vp.class_code = 0x02; /* network controller */
    n->vp.subclass = 0x00;   /* Ethernet */
    n->vp.features = VIRTIO_F_VERSION_1 | F_MAC;
    n->vp.nqueues = 2;
    n->vp.queue_max = QUEUE_MAX;
    n->vp.ops = &net_ops;
    /* the address QEMU gives its first NIC */
    static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    memcpy(n->mac, mac, 6);
    n->hub_opt = (struct net_hub_options){10, 1235, stderr};
    d->state = n;
    virtio_init(d);
    return 0;
}

static int net_option(struct device *d, const char *key, const char *value, char *err, size_t errlen)
{
    struct virtio_net *n = d->state;
    char *end;
    unsigned long v = strtoul(value, &end, 0);
    if (!strcmp(key, "echo") && *value && !*end && v <= 100000) {
        n->hub_opt.echo_count = (unsigned)v;
    } else if (!strcmp(key, "port") && *value && !*end && v > 0 && v < 65536) {
        n->hub_opt.echo_port = (uint16_t)v;
    } else if (!strcmp(key, "pcap")) {
        FILE *f = fopen(value, "wb");
        /* magic, version 2.4, zone 0, sigfigs 0, snaplen 65535, Ethernet */
        uint32_t hdr[6] = {0xa1b2c3d4u, 2u | 4u << 16, 0, 0, 65535, 1};
        if (!f || fwrite(hdr, sizeof hdr, 1, f) != 1) {
            snprintf(err, errlen, "cannot write packet capture '%s': %s", value, strerror(errno));
            if (f)
                fclose(f);
            return -1;
        }
        if (n->pcap)
            fclose(n->pcap);
        n->pcap = f;
    } else {
        if (!strcmp(key, "echo") || !strcmp(key, "port"))
            snprintf(err, errlen, "%s (%s): '%s=%s': not a %s", d->name, d->model->name, key, value,
                     !strcmp(key, "echo") ? "count (0-100000)" : "UDP port (1-65535)");
        else
            snprintf(err, errlen, "%s (%s) takes %s, not '%s'", d->name, d->model->name, d->model->options, key);
        return -1;
    }
    return 0;
}

static void net_start(struct device *d)
{
    struct virtio_net *n = d->state;
    n->d = d;
    net_hub_free(n->hub); /* the network starts afresh, with the options as they are now */
    n->hub = net_hub_new(&n->hub_opt, hub_send, n);
    virtio_start(d);
}

static uint64_t net_next_event(struct device *d)
{
    struct virtio_net *n = d->state;
    return n->hub ? net_hub_next_event(n->hub) : UINT64_MAX;
}

static void net_tick(struct device *d, uint64_t now)
{
    struct virtio_net *n = d->state;
    n->d = d;
    if (n->hub)
        net_hub_tick(n->hub, now);
}

static bool net_busy(struct device *d)
{
    struct virtio_net *n = d->state;
    return n->hub && net_hub_busy(n->hub);
}

static void net_finish(struct device *d)
{
    struct virtio_net *n = d->state;
    if (n->hub)
        net_hub_finish(n->hub);
}

static void net_destroy(struct device *d)
{
    struct virtio_net *n = d->state;
    net_hub_free(n->hub);
    if (n->pcap)
        fclose(n->pcap);
    free(n);
}

const struct device_model device_virtio_net = {
    .name = "virtio-net",
    .summary = "a virtio network device (PCI or virtio-mmio) on a user-space hub (ARP, DHCP, a UDP echo client)",
    .options = "echo=N (UDP echo round trips per leased client, default 10; 0: none), port=P (the guest's "
               "UDP echo port, default 1235), pcap=FILE (write every frame there, for tcpdump or Wireshark)",
    .create = net_create,
    .option = net_option,
    .start = net_start,
    .mmio_read = virtio_mmio_read,
    .mmio_write = virtio_mmio_write,
    .pci_read = virtio_pci_read,
    .pci_write = virtio_pci_write,
    .next_event = net_next_event,
    .tick = net_tick,
    .busy = net_busy,
    .finish = net_finish,
    .destroy = net_destroy,
};
