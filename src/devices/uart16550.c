/* uart16550.c — a 16550 UART on x86 I/O ports (the PC's COM1: 0x3f8-0x3ff) or memory-mapped, its
 * registers a byte apart and trapped (QEMU virt riscv64's NS16550A at 0x10000000), following the
 * PC16550D data sheet's register set: RBR/THR, IER, IIR/FCR, LCR, MCR, LSR, MSR, SCR, and the
 * divisor latch behind LCR's DLAB bit.
 *
 * Transmitting is instant: a byte written to THR goes into the run's ordered output at once, so
 * THR is always empty (LSR THRE and TEMT set) and the baud rate changes nothing. Receiving comes
 * from the device's input (serial_input.c: the run's stdin by default, a file, or a script), taken
 * as the receive buffer has room — 16 bytes with the FIFO on (FCR bit 0), one without — so no
 * byte is lost to an overrun. Input starts to flow once the driver uses the receiver (enables the
 * receive interrupt or reads RBR): a PD that only transmits never takes the run's stdin.
 *
 * The interrupt line is a level (the 16550's INTR output):
 * high while received data waits with the receive interrupt enabled, or THR is empty with the
 * transmit interrupt enabled; IIR names the highest-priority cause there (received data before THR
 * empty), and reading it clears the THR-empty cause, as the data sheet says. An ack with data still
 * waiting is interrupted again; a cause gone before delivery is not delivered. In
 * loopback (MCR bit 4) THR feeds RBR, and MSR mirrors MCR; otherwise MSR reports a connected
 * terminal (CTS, DSR, DCD). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/device.h"
#include "devices/serial_input.h"

enum { RBR_THR = 0, IER = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };
#define LCR_DLAB 0x80
#define IER_RX 0x01
#define IER_THRE 0x02
#define MCR_LOOP 0x10
#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define FCR_ENABLE 0x01
#define FCR_CLEAR_RX 0x02
#define FIFO_SIZE 16

struct uart {
    struct serial_input in;
    uint8_t ier, lcr, mcr, scr, dll, dlm, lsr_errors;
    bool fifo_on;
    uint8_t rx[FIFO_SIZE];
    unsigned rx_head, rx_len;
    bool thre_pending;      /* the THR-empty interrupt cause */
    bool receiver_used;
};

static unsigned room(const struct uart *u) { return (u->fifo_on ? FIFO_SIZE : 1) - u->rx_len; }

static void push_rx(struct uart *u, uint8_t c)
{
    if (!room(u)) {
        u->lsr_errors |= LSR_OE; /* only in loopback: the input waits for room */
        return;
    }
    u->rx[(u->rx_head + u->rx_len++) % FIFO_SIZE] = c;
}

/* The interrupt line is a level: high while a cause IER enables is there (received data, THR
 * empty), told to the host after every change. */
static void update_line(struct device *d)
{
    struct uart *u = d->state;
    bool high = ((u->ier & IER_RX) && u->rx_len) || ((u->ier & IER_THRE) && u->thre_pending);
    if (d->nirqs)
        d->host->set_irq(d->host->ctx, d, 0, high);
}

/* Takes input into the receive buffer while it has room. */
static void fill(struct device *d)
{
    struct uart *u = d->state;
    if (!u->receiver_used)
        return;
    char buf[FIFO_SIZE];
    unsigned want = room(u);
    if (want) {
        size_t n = serial_input_take(&u->in, d->host->now_ns(d->host->ctx), buf, want);
        for (size_t k = 0; k < n; k++)
            push_rx(u, (uint8_t)buf[k]);
    }
}

static void use_receiver(struct device *d)
{
    struct uart *u = d->state;
    if (u->receiver_used)
        return;
    u->receiver_used = true;
    serial_input_start(&u->in, d->host->now_ns(d->host->ctx));
}

static int uart_create(struct device *d, char *err, size_t errlen)
{
    struct uart *u = calloc(1, sizeof *u);
    if (!u)
        return -1;
    d->state = u;
    d->trap = d->mmio_size != 0; /* memory-mapped: each access served as it happens */
    return serial_input_open(&u->in, SERIAL_IN_STDIN, NULL, err, errlen);
}

static int uart_option(struct device *d, const char *key, const char *value, char *err, size_t errlen)
{
    struct uart *u = d->state;
    if (!strcmp(key, "input")) {
        if (!strcmp(value, "stdin"))
            return serial_input_open(&u->in, SERIAL_IN_STDIN, NULL, err, errlen);
        if (!strcmp(value, "none"))
            return serial_input_open(&u->in, SERIAL_IN_NONE, NULL, err, errlen);
        return serial_input_open(&u->in, SERIAL_IN_FILE, value, err, errlen);
    }
    if (!strcmp(key, "script"))
        return serial_input_open(&u->in, SERIAL_IN_SCRIPT, value, err, errlen);
    snprintf(err, errlen, "%s (%s) has no option '%s'; it takes %s", d->name, d->model->name, key, d->model->options);
    return -1;
}

static void uart_start(struct device *d)
{
    struct uart *u = d->state;
    u->lsr_errors = 0;
    u->rx_len = 0;
}

static uint8_t iir(const struct uart *u)
{
    uint8_t fifo = u->fifo_on ? 0xc0 : 0;
    if ((u->ier & IER_RX) && u->rx_len)
        return fifo | 0x04;
    if ((u->ier & IER_THRE) && u->thre_pending)
        return fifo | 0x02;
    return fifo | 0x01; /* no interrupt pending */
}

static uint8_t read_reg(struct device *d, unsigned reg)
{
    struct uart *u = d->state;
    switch (reg) {
    case RBR_THR: {
        if (u->lcr & LCR_DLAB)
            return u->dll;
        use_receiver(d);
        uint8_t c = 0;
        if (u->rx_len) {
            c = u->rx[u->rx_head];
            u->rx_head = (u->rx_head + 1) % FIFO_SIZE;
            u->rx_len--;
        }
        fill(d); /* the driver is reading: it sees more at once through LSR */
        return c;
    }
    case IER: return u->lcr & LCR_DLAB ? u->dlm : u->ier;
    case IIR_FCR: {
        uint8_t v = iir(u);
        if ((v & 0x0f) == 0x02)
            u->thre_pending = false; /* reading IIR clears the THR-empty cause */
        return v;
    }
    case LCR: return u->lcr;
    case MCR: return u->mcr;
    case LSR: {
        uint8_t v = LSR_THRE | LSR_TEMT | (u->rx_len ? LSR_DR : 0) | u->lsr_errors;
        u->lsr_errors = 0;
        return v;
    }
    case MSR:
        if (u->mcr & MCR_LOOP) /* CTS = RTS, DSR = DTR, RI = OUT1, DCD = OUT2 */
            return (uint8_t)((u->mcr & 0x02) << 3 | (u->mcr & 0x01) << 5 | (u->mcr & 0x04) << 4 | (u->mcr & 0x08) << 4);
        return 0xb0; /* a terminal is connected: CTS, DSR, DCD */
    default: return u->scr;
    }
}

static void write_reg(struct device *d, unsigned reg, uint8_t v)
{
    struct uart *u = d->state;
    switch (reg) {
    case RBR_THR:
        if (u->lcr & LCR_DLAB) {
            u->dll = v;
            return;
        }
        if (u->mcr & MCR_LOOP) {
            push_rx(u, v);
        } else {
            char c = (char)v;
            d->host->output(d->host->ctx, d, &c, 1);
        }
        u->thre_pending = true; /* sent at once: THR is empty again */
        return;
    case IER: {
        if (u->lcr & LCR_DLAB) {
            u->dlm = v;
            return;
        }
        uint8_t was = u->ier;
        u->ier = v & 0x0f;
        if (u->ier & IER_RX) {
            use_receiver(d);
            fill(d);
        }
        if (!(was & IER_THRE) && (u->ier & IER_THRE))
            u->thre_pending = true; /* enabled with THR empty */
        return;
    }
    case IIR_FCR:
        u->fifo_on = v & FCR_ENABLE;
        if ((v & FCR_CLEAR_RX) || !u->fifo_on) {
            if (!u->fifo_on && u->rx_len > 1) /* the holding register keeps the oldest byte */
                u->rx_len = 1;
            if (v & FCR_CLEAR_RX)
                u->rx_len = 0;
        }
        return;
    case LCR: u->lcr = v; return;
    case MCR: u->mcr = v & 0x1f; return;
    case LSR:
    case MSR: return; /* read-only */
    default: u->scr = v; return;
    }
}

/* A wider access covers the next ports, lowest first (as the bus splits it). */
static uint32_t uart_port_in(struct device *d, uint64_t offset, unsigned bytes)
{
    uint32_t v = 0;
    for (unsigned k = 0; k < bytes; k++)
        v |= (uint32_t)read_reg(d, (unsigned)(offset + k) & 7) << (8 * k);
    update_line(d);
    return v;
}

static void uart_port_out(struct device *d, uint64_t offset, unsigned bytes, uint32_t value)
{
    for (unsigned k = 0; k < bytes; k++)
        write_reg(d, (unsigned)(offset + k) & 7, (uint8_t)(value >> (8 * k)));
    update_line(d);
}

/* Memory-mapped, register K at offset K (no register shift); beyond the eight registers nothing
 * answers. */
static uint64_t uart_mmio_read(struct device *d, uint64_t offset, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned k = 0; k < bytes; k++)
        if (offset + k < 8)
            v |= (uint64_t)read_reg(d, (unsigned)(offset + k)) << (8 * k);
    update_line(d);
    return v;
}

static void uart_mmio_write(struct device *d, uint64_t offset, unsigned bytes, uint64_t value)
{
    for (unsigned k = 0; k < bytes; k++)
        if (offset + k < 8)
            write_reg(d, (unsigned)(offset + k), (uint8_t)(value >> (8 * k)));
    update_line(d);
}

static uint64_t uart_next_event(struct device *d)
{
    struct uart *u = d->state;
    if (!u->receiver_used)
        return UINT64_MAX;
    if (room(u) && serial_input_ready(&u->in))
        return 0; /* now */
    return serial_input_next(&u->in);
}

static void uart_tick(struct device *d, uint64_t now)
{
    (void)now;
    fill(d);
    update_line(d);
}

static int uart_input_fd(struct device *d)
{
    struct uart *u = d->state;
    return u->receiver_used && room(u) ? serial_input_fd(&u->in) : -1;
}

static bool uart_busy(struct device *d)
{
    struct uart *u = d->state;
    return u->receiver_used && (u->ier & IER_RX) && serial_input_more(&u->in);
}

static void uart_output_seen(struct device *d, const char *bytes, size_t n)
{
    struct uart *u = d->state;
    serial_input_output(&u->in, d->host->now_ns(d->host->ctx), bytes, n);
}

static void uart_finish(struct device *d)
{
    struct uart *u = d->state;
    const char *at = serial_input_waiting(&u->in);
    if (at)
        fprintf(stderr, "hostkit: %s: input script %s ended waiting at line %s\n", d->name, u->in.path, at);
}

static void uart_destroy(struct device *d)
{
    struct uart *u = d->state;
    serial_input_close(&u->in);
    free(u);
}

const struct device_model device_uart16550 = {
    .name = "uart16550",
    .summary = "a 16550 UART on I/O ports or memory-mapped",
    .options = "input=stdin|none|FILE (default stdin), script=FILE (expect/send/wait lines)",
    .create = uart_create,
    .option = uart_option,
    .start = uart_start,
    .port_in = uart_port_in,
    .port_out = uart_port_out,
    .mmio_read = uart_mmio_read,
    .mmio_write = uart_mmio_write,
    .next_event = uart_next_event,
    .tick = uart_tick,
    .input_fd = uart_input_fd,
    .busy = uart_busy,
    .output_seen = uart_output_seen,
    .finish = uart_finish,
    .destroy = uart_destroy,
};
