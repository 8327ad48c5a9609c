/* virtio_console.c — a virtio console device (VIRTIO 1.2, 5.3, device id 3), in a virtio-mmio slot
 * or on PCI (virtio.h): port 0 only, its receiveq (queue 0) and transmitq (queue 1, 5.3.2); no
 * feature beyond VIRTIO_F_VERSION_1 is offered (no VIRTIO_CONSOLE_F_SIZE, F_MULTIPORT or
 * F_EMERG_WRITE, 5.3.3), so the configuration (5.3.4: cols, rows, max_nr_ports, emerg_wr) reads 0.
 *
 * What the driver transmits goes into the run's ordered output as the 16550's and the PL011's
 * bytes do: when it notifies the transmitq, every chain there is taken, the bytes of its
 * device-readable descriptors are output in order, and the chain is used with length 0 (5.3.6.2).
 * What it receives comes from serial_input.c (stdin, a file, a script: the UARTs' options), written
 * into the buffers the driver offered in the receiveq, as many bytes as a chain's device-writable
 * descriptors hold and as are there to take (5.3.6.1); a used-buffer interrupt follows each batch.
 * Input starts to flow once the driver has set DRIVER_OK with the receiveq ready, and is taken
 * only while it has offered buffers, so none is lost. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/serial_input.h"
#include "devices/virtio.h"

#define QUEUE_MAX 256
#define RX_Q 0
#define TX_Q 1
#define STATUS_DRIVER_OK 4

struct virtio_console {
    struct virtio vp; /* first: the transport finds it at d->state */
    struct serial_input in;
    bool receiver_used;
};

static uint64_t console_config_read(struct device *d, unsigned offset, unsigned bytes)
{
    (void)d, (void)offset, (void)bytes;
    return 0; /* none of the fields is there without its feature */
}

static bool receiving(const struct virtio_console *c)
{
    return (c->vp.status & STATUS_DRIVER_OK) && c->vp.q[RX_Q].enabled;
}

/* Input into the offered receive buffers, while there are both. */
static void receive(struct device *d)
{
    struct virtio_console *c = d->state;
    if (!receiving(c))
        return;
    if (!c->receiver_used) {
        c->receiver_used = true;
        serial_input_start(&c->in, d->host->now_ns(d->host->ctx));
    }
    bool any = false;
    uint16_t head;
    while (virtio_queue_next(d, RX_Q, &head)) {
        struct virtio_desc desc[VIRTIO_CHAIN_MAX];
        unsigned nd = virtio_queue_chain(d, RX_Q, head, desc);
        if (!nd) {
            virtio_queue_done(d, RX_Q, head, 0); /* a broken chain: nothing written */
            any = true;
            continue;
        }
        uint32_t written = 0;
        for (unsigned k = 0; k < nd; k++) {
            if (!(desc[k].flags & VIRTQ_DESC_F_WRITE) || !desc[k].len)
                continue;
            char *mem = d->host->dma(d->host->ctx, desc[k].addr, desc[k].len);
            if (!mem)
                break;
            size_t n = serial_input_take(&c->in, d->host->now_ns(d->host->ctx), mem, desc[k].len);
            written += (uint32_t)n;
            if (n < desc[k].len)
                break;
        }
        if (!written) {
            virtio_queue_put_back(d, RX_Q); /* nothing to receive now: the buffer waits */
            break;
        }
        virtio_queue_done(d, RX_Q, head, written);
        any = true;
    }
    if (any)
        virtio_interrupt(d);
}

static void transmit(struct device *d)
{
    bool any = false;
    uint16_t head;
    while (virtio_queue_next(d, TX_Q, &head)) {
        struct virtio_desc desc[VIRTIO_CHAIN_MAX];
        unsigned nd = virtio_queue_chain(d, TX_Q, head, desc);
        for (unsigned k = 0; k < nd; k++) {
            if (desc[k].flags & VIRTQ_DESC_F_WRITE)
                continue;
            const char *mem = d->host->dma(d->host->ctx, desc[k].addr, desc[k].len);
            if (mem && desc[k].len)
                d->host->output(d->host->ctx, d, mem, desc[k].len);
        }
        virtio_queue_done(d, TX_Q, head, 0);
        any = true;
    }
    if (any)
        virtio_interrupt(d);
}

static void console_notify(struct device *d, unsigned q)
{
    if (q == TX_Q)
        transmit(d);
    else if (q == RX_Q)
        receive(d);
}

static const struct virtio_device_ops console_ops = {console_config_read, console_notify, NULL};

static int console_create(struct device *d, char *err, size_t errlen)
{
    struct virtio_console *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    c->vp.pci_device_id = 0x1003; /* transitional virtio-console */
    c->vp.type = 3;
    c->vp.class_code = 0x07; /* communication controller */
    c->vp.subclass = 0x80;   /* other */
    c->vp.features = VIRTIO_F_VERSION_1;
    c->vp.nqueues = 2;
    c->vp.queue_max = QUEUE_MAX;
    c->vp.ops = &console_ops;
    d->state = c;
    virtio_init(d);
    return serial_input_open(&c->in, SERIAL_IN_STDIN, NULL, err, errlen);
}

static int console_option(struct device *d, const char *key, const char *value, char *err, size_t errlen)
{
    struct virtio_console *c = d->state;
    if (!strcmp(key, "input")) {
        if (!strcmp(value, "stdin"))
            return serial_input_open(&c->in, SERIAL_IN_STDIN, NULL, err, errlen);
        if (!strcmp(value, "none"))
            return serial_input_open(&c->in, SERIAL_IN_NONE, NULL, err, errlen);
        return serial_input_open(&c->in, SERIAL_IN_FILE, value, err, errlen);
    }
    if (!strcmp(key, "script"))
        return serial_input_open(&c->in, SERIAL_IN_SCRIPT, value, err, errlen);
    snprintf(err, errlen, "%s (%s) has no option '%s'; it takes %s", d->name, d->model->name, key,
             d->model->options);
    return -1;
}

static uint64_t console_next_event(struct device *d)
{
    struct virtio_console *c = d->state;
    if (!c->receiver_used)
        return receiving(c) ? 0 : UINT64_MAX; /* the driver is ready: input starts now */
    if (!virtio_queue_pending(d, RX_Q))
        return UINT64_MAX;
    if (serial_input_ready(&c->in))
        return 0;
    return serial_input_next(&c->in);
}

static void console_tick(struct device *d, uint64_t now)
{
    (void)now;
    receive(d);
}

static int console_input_fd(struct device *d)
{
    struct virtio_console *c = d->state;
    return c->receiver_used && virtio_queue_pending(d, RX_Q) ? serial_input_fd(&c->in) : -1;
}

static bool console_busy(struct device *d)
{
    struct virtio_console *c = d->state;
    return c->receiver_used && receiving(c) && serial_input_more(&c->in);
}

static void console_output_seen(struct device *d, const char *bytes, size_t n)
{
    struct virtio_console *c = d->state;
    serial_input_output(&c->in, d->host->now_ns(d->host->ctx), bytes, n);
}

static void console_finish(struct device *d)
{
    struct virtio_console *c = d->state;
    const char *at = serial_input_waiting(&c->in);
    if (at)
        fprintf(stderr, "hostkit: %s: input script %s ended waiting at line %s\n", d->name, c->in.path, at);
}

static void console_destroy(struct device *d)
{
    struct virtio_console *c = d->state;
    serial_input_close(&c->in);
    free(c);
}

const struct device_model device_virtio_console = {
    .name = "virtio-console",
    .summary = "a virtio console (port 0), its input as a UART's",
    .options = "input=stdin|none|FILE (default stdin), script=FILE (expect/send/wait lines)",
    .create = console_create,
    .option = console_option,
    .start = virtio_start,
    .mmio_read = virtio_mmio_read,
    .mmio_write = virtio_mmio_write,
    .pci_read = virtio_pci_read,
    .pci_write = virtio_pci_write,
    .next_event = console_next_event,
    .tick = console_tick,
    .input_fd = console_input_fd,
    .busy = console_busy,
    .output_seen = console_output_seen,
    .finish = console_finish,
    .destroy = console_destroy,
};
