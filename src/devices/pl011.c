/* pl011.c — an Arm PrimeCell UART (PL011), memory-mapped, its registers trapped and served access
 * by access (QEMU virt aarch64's UART at 0x09000000, SPI 1 = IRQ 33). Registers as the PL011
 * Technical Reference Manual (r1p5, DDI 0183, 3.2 "Summary of registers") names them: UARTDR
 * (0x000), UARTRSR/UARTECR (0x004), UARTFR (0x018), UARTILPR (0x020), UARTIBRD (0x024), UARTFBRD
 * (0x028), UARTLCR_H (0x02c), UARTCR (0x030), UARTIFLS (0x034), UARTIMSC (0x038), UARTRIS
 * (0x03c), UARTMIS (0x040), UARTICR (0x044), UARTDMACR (0x048), and the identification registers
 * UARTPeriphID0-3 and UARTPCellID0-3 (0xfe0-0xffc), all 32 bits wide.
 *
 * Transmitting is instant, as the 16550's (uart16550.c): a byte written to UARTDR goes into the
 * run's ordered output at once, so the transmit FIFO is always empty (UARTFR TXFE set, TXFF and BUSY
 * clear) and the baud rate changes nothing. The transmit interrupt (TXRIS) is set each time the
 * FIFO has drained through its trigger level, which here is after every byte written, and cleared
 * by UARTICR TXIC (TRM 3.4.3, UARTTXINTR). Receiving comes from serial_input.c (stdin, a file, a
 * script) as the receive FIFO has room: 32 bytes with UARTLCR_H FEN, one without. Input starts to
 * flow once the driver uses the receiver: it reads UARTDR, unmasks a receive interrupt, or enables
 * the UART with RXE. The receive interrupt (RXRIS) is high while the FIFO holds at least its
 * UARTIFLS trigger level (one byte without the FIFO); the receive timeout (RTRIS) while it holds
 * anything: hostkit's input comes in bursts, so a byte below the level has always waited 32 bit
 * periods. Both follow the FIFO (reading it empty clears them, TRM 3.4.3); RTIC clears the timeout
 * until more data arrives. The interrupt line (UARTINTR, the OR of UARTMIS) is a level.
 *
 * As QEMU's PL011 does, transmission does not wait for UARTCR's UARTEN and TXE (seL4's and early
 * boot code write UARTDR without setting the UART up). In loopback (UARTCR LBE) the data written
 * comes back to the receiver. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devices/device.h"
#include "devices/serial_input.h"

enum {
    DR = 0x000,
    RSR = 0x004,
    FR = 0x018,
    ILPR = 0x020,
    IBRD = 0x024,
    FBRD = 0x028,
    LCR_H = 0x02c,
    CR = 0x030,
    IFLS = 0x034,
    IMSC = 0x038,
    RIS = 0x03c,
    MIS = 0x040,
    ICR = 0x044,
    DMACR = 0x048,
    PERIPH_ID0 = 0xfe0
};
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define FR_RXFF (1u << 6)
#define FR_TXFE (1u << 7)
#define LCR_H_FEN (1u << 4)
#define CR_UARTEN (1u << 0)
#define CR_LBE (1u << 7)
#define CR_RXE (1u << 9)
/* the interrupt bits of UARTIMSC, UARTRIS, UARTMIS and UARTICR (TRM 3.3.10-3.3.13) */
#define INT_RX (1u << 4)
#define INT_TX (1u << 5)
#define INT_RT (1u << 6)
#define INT_ALL 0x7ffu
#define FIFO_SIZE 32

/* UARTPeriphID0-3 and UARTPCellID0-3 (TRM 3.3.15-3.3.22): part 0x011, designer Arm (0x41),
 * revision r1p5, and the PrimeCell identification 0xb105f00d. */
static const uint8_t ids[8] = {0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

struct pl011 {
    struct serial_input in;
    uint32_t ilpr, ibrd, fbrd, lcr_h, cr, ifls, imsc, dmacr;
    bool tx_ris, rt_cleared;
    uint8_t rx[FIFO_SIZE];
    unsigned rx_head, rx_len;
    bool receiver_used;
};

static unsigned capacity(const struct pl011 *u)
{
    return u->lcr_h & LCR_H_FEN ? FIFO_SIZE : 1;
}
static unsigned room(const struct pl011 *u)
{
    return u->rx_len < capacity(u) ? capacity(u) - u->rx_len : 0;
}

/* The receive trigger level, UARTIFLS RXIFLSEL (bits 5:3): 1/8, 1/4, 1/2, 3/4 or 7/8 full. */
static unsigned rx_level(const struct pl011 *u)
{
    if (!(u->lcr_h & LCR_H_FEN))
        return 1;
    static const unsigned eighths[8] = {1, 2, 4, 6, 7, 7, 7, 7};
    return FIFO_SIZE * eighths[u->ifls >> 3 & 7] / 8;
}

static uint32_t ris(const struct pl011 *u)
{
    uint32_t v = u->tx_ris ? INT_TX : 0;
    if (u->rx_len >= rx_level(u))
        v |= INT_RX;
    if (u->rx_len && !u->rt_cleared)
        v |= INT_RT;
    return v;
}

static void update_line(struct device *d)
{
    struct pl011 *u = d->state;
    if (d->nirqs)
        d->host->set_irq(d->host->ctx, d, 0, (ris(u) & u->imsc) != 0);
}

static void push_rx(struct pl011 *u, uint8_t c)
{
    if (!room(u))
        return; /* only in loopback: the input waits for room; a full FIFO drops the byte */
    u->rx[(u->rx_head + u->rx_len++) % FIFO_SIZE] = c;
    u->rt_cleared = false;
}

static void fill(struct device *d)
{
    struct pl011 *u = d->state;
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
    struct pl011 *u = d->state;
    if (u->receiver_used)
        return;
    u->receiver_used = true;
    serial_input_start(&u->in, d->host->now_ns(d->host->ctx));
}

static int pl011_create(struct device *d, char *err, size_t errlen)
{
    struct pl011 *u = calloc(1, sizeof *u);
    if (!u)
        return -1;
    d->state = u;
    d->trap = true;
    return serial_input_open(&u->in, SERIAL_IN_STDIN, NULL, err, errlen);
}

static int pl011_option(struct device *d, const char *key, const char *value, char *err, size_t errlen)
{
    struct pl011 *u = d->state;
    if (!strcmp(key, "input")) {
        if (!strcmp(value, "stdin"))
            return serial_input_open(&u->in, SERIAL_IN_STDIN, NULL, err, errlen);
        if (!strcmp(value, "none"))
            return serial_input_open(&u->in, SERIAL_IN_NONE, NULL, err, errlen);
        return serial_input_open(&u->in, SERIAL_IN_FILE, value, err, errlen);
    }
    if (!strcmp(key, "script"))
        return serial_input_open(&u->in, SERIAL_IN_SCRIPT, value, err, errlen);
    snprintf(err, errlen, "%s (%s) has no option '%s'; it takes %s", d->name, d->model->name, key,
             d->model->options);
    return -1;
}

/* The reset values of TRM 3.2: UARTCR 0x300 (TXE and RXE, the UART disabled), UARTIFLS 0x12 (both
 * trigger levels half full), everything else 0. */
static void pl011_start(struct device *d)
{
    struct pl011 *u = d->state;
    u->ilpr = u->ibrd = u->fbrd = u->lcr_h = u->imsc = u->dmacr = 0;
    u->cr = 0x300;
    u->ifls = 0x12;
    u->tx_ris = u->rt_cleared = false;
    u->rx_len = 0;
}

static uint32_t read_reg(struct device *d, unsigned reg)
{
    struct pl011 *u = d->state;
    switch (reg) {
    case DR: {
        use_receiver(d);
        uint32_t c = 0;
        if (u->rx_len) {
            c = u->rx[u->rx_head];
            u->rx_head = (u->rx_head + 1) % FIFO_SIZE;
            u->rx_len--;
        }
        fill(d);  /* the driver is reading: it sees more at once through UARTFR */
        return c; /* bits 11:8, the errors, never set */
    }
    case RSR:
        return 0;
    case FR:
        return FR_TXFE | (u->rx_len ? 0 : FR_RXFE) | (room(u) ? 0 : FR_RXFF);
    case ILPR:
        return u->ilpr;
    case IBRD:
        return u->ibrd;
    case FBRD:
        return u->fbrd;
    case LCR_H:
        return u->lcr_h;
    case CR:
        return u->cr;
    case IFLS:
        return u->ifls;
    case IMSC:
        return u->imsc;
    case RIS:
        return ris(u);
    case MIS:
        return ris(u) & u->imsc;
    case DMACR:
        return u->dmacr;
    default:
        if (reg >= PERIPH_ID0 && reg < PERIPH_ID0 + 0x20)
            return ids[(reg - PERIPH_ID0) / 4];
        return 0; /* reserved, and UARTICR (write-only) */
    }
}

static void write_reg(struct device *d, unsigned reg, uint32_t v)
{
    struct pl011 *u = d->state;
    switch (reg) {
    case DR:
        if (u->cr & CR_LBE) {
            push_rx(u, (uint8_t)v);
        } else {
            char c = (char)v;
            d->host->output(d->host->ctx, d, &c, 1);
        }
        u->tx_ris = true; /* sent at once: the FIFO drained through its level */
        return;
    case ILPR:
        u->ilpr = v & 0xff;
        return;
    case IBRD:
        u->ibrd = v & 0xffff;
        return;
    case FBRD:
        u->fbrd = v & 0x3f;
        return;
    case LCR_H: {
        u->lcr_h = v & 0xff;
        if (u->rx_len > capacity(u)) /* the FIFO off: the holding register keeps the oldest byte */
            u->rx_len = capacity(u);
        return;
    }
    case CR:
        u->cr = v & 0xff87;
        if ((u->cr & CR_UARTEN) && (u->cr & CR_RXE)) {
            use_receiver(d);
            fill(d);
        }
        return;
    case IFLS:
        u->ifls = v & 0x3f;
        return;
    case IMSC:
        u->imsc = v & INT_ALL;
        if (u->imsc & (INT_RX | INT_RT)) {
            use_receiver(d);
            fill(d);
        }
        return;
    case ICR:
        if (v & INT_TX)
            u->tx_ris = false;
        if (v & INT_RT)
            u->rt_cleared = true;
        return;
    case RSR:
        return; /* UARTECR: clears errors, which never happen */
    case DMACR:
        u->dmacr = v & 7;
        return;
    default:
        return; /* read-only and reserved */
    }
}

/* An access of any width reads or writes the 32-bit register it falls in (the low bytes of a
 * narrower one, as the APB bridge gives them). */
static uint64_t pl011_mmio_read(struct device *d, uint64_t offset, unsigned bytes)
{
    unsigned shift = 8 * (unsigned)(offset & 3);
    uint64_t v = bytes == 8 ? (uint64_t)read_reg(d, (unsigned)offset & ~3u) |
                                  (uint64_t)read_reg(d, ((unsigned)offset & ~3u) + 4) << 32
                            : read_reg(d, (unsigned)offset & ~3u) >> shift;
    update_line(d);
    return bytes == 8 ? v : v & ((1ull << (8 * bytes)) - 1);
}

static void pl011_mmio_write(struct device *d, uint64_t offset, unsigned bytes, uint64_t value)
{
    write_reg(d, (unsigned)offset & ~3u, (uint32_t)(value << 8 * (offset & 3)));
    if (bytes == 8)
        write_reg(d, ((unsigned)offset & ~3u) + 4, (uint32_t)(value >> 32));
    update_line(d);
}

static uint64_t pl011_next_event(struct device *d)
{
    struct pl011 *u = d->state;
    if (!u->receiver_used)
        return UINT64_MAX;
    if (room(u) && serial_input_ready(&u->in))
        return 0;
    return serial_input_next(&u->in);
}

static void pl011_tick(struct device *d, uint64_t now)
{
    (void)now;
    fill(d);
    update_line(d);
}

static int pl011_input_fd(struct device *d)
{
    struct pl011 *u = d->state;
    return u->receiver_used && room(u) ? serial_input_fd(&u->in) : -1;
}

static bool pl011_busy(struct device *d)
{
    struct pl011 *u = d->state;
    return u->receiver_used && (u->imsc & (INT_RX | INT_RT)) && serial_input_more(&u->in);
}

static void pl011_output_seen(struct device *d, const char *bytes, size_t n)
{
    struct pl011 *u = d->state;
    serial_input_output(&u->in, d->host->now_ns(d->host->ctx), bytes, n);
}

static void pl011_finish(struct device *d)
{
    struct pl011 *u = d->state;
    const char *at = serial_input_waiting(&u->in);
    if (at)
        fprintf(stderr, "hostkit: %s: input script %s ended waiting at line %s\n", d->name, u->in.path, at);
}

static void pl011_destroy(struct device *d)
{
    struct pl011 *u = d->state;
    serial_input_close(&u->in);
    free(u);
}

const struct device_model device_pl011 = {
    .name = "pl011",
    .summary = "an Arm PL011 UART, memory-mapped",
    .options = "input=stdin|none|FILE (default stdin), script=FILE (expect/send/wait lines)",
    .create = pl011_create,
    .option = pl011_option,
    .start = pl011_start,
    .mmio_read = pl011_mmio_read,
    .mmio_write = pl011_mmio_write,
    .next_event = pl011_next_event,
    .tick = pl011_tick,
    .input_fd = pl011_input_fd,
    .busy = pl011_busy,
    .output_seen = pl011_output_seen,
    .finish = pl011_finish,
    .destroy = pl011_destroy,
};
