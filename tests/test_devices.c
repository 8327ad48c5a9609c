/* test_devices.c — the device models (src/devices/) through their interface, with a fake host
 * that records interrupts and output and sets the clock; and `hostkit run`'s board and --device
 * options. Register behaviour is the devices' documented one (docs/devices.md; the 16550's and
 * the HPET's data sheets), never what hostkit happened to print. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "devices/device.h"
#include "testutil.h"

/* ---- a fake host ---- */
struct fake {
    uint64_t now;
    unsigned irqs[DEVICE_MAX_IRQS]; /* raised, per line (edges, and a level going high) */
    bool level[DEVICE_MAX_IRQS];    /* a level line's state */
    char out[4096];
    size_t out_len;
};
static struct fake F;
static uint64_t fake_now(void *ctx) { return ((struct fake *)ctx)->now; }
static void fake_irq(void *ctx, struct device *d, unsigned line)
{
    (void)d;
    ((struct fake *)ctx)->irqs[line]++;
}
static void fake_set_irq(void *ctx, struct device *d, unsigned line, bool high)
{
    (void)d;
    struct fake *f = ctx;
    if (high && !f->level[line])
        f->irqs[line]++;
    f->level[line] = high;
}
static void fake_output(void *ctx, struct device *d, const char *b, size_t n)
{
    (void)d;
    struct fake *f = ctx;
    memcpy(f->out + f->out_len, b, n);
    f->out_len += n;
}
static void *fake_dma(void *ctx, uint64_t paddr, uint64_t len);
static uint32_t fake_pci(void *ctx, unsigned bdf, unsigned offset, unsigned bytes, bool write, uint32_t value);
static const struct device_host fake_host = {&F, fake_now, fake_irq, fake_set_irq, fake_output, fake_dma, fake_pci};

static _Alignas(4096) uint8_t page[4096];

/* DMA: "physical" memory at 0x100000, 64 KiB */
static _Alignas(4096) uint8_t ram[65536];
#define RAM_BASE 0x100000u
static void *fake_dma(void *ctx, uint64_t paddr, uint64_t len)
{
    (void)ctx;
    return paddr >= RAM_BASE && paddr - RAM_BASE + len <= sizeof ram ? ram + (paddr - RAM_BASE) : NULL;
}
/* PCI: the function the test names answers (pci_fn), others nothing */
static struct device *pci_fn;
static uint32_t fake_pci(void *ctx, unsigned bdf, unsigned offset, unsigned bytes, bool write, uint32_t value)
{
    (void)ctx;
    if (!pci_fn || (int)bdf != pci_fn->pci_bdf)
        return write ? 0 : (bytes == 4 ? ~0u : (1u << (8 * bytes)) - 1);
    if (write) {
        pci_fn->model->pci_write(pci_fn, offset, bytes, value);
        return 0;
    }
    return pci_fn->model->pci_read(pci_fn, offset, bytes);
}

/* A device of the board BOARD named NAME, created as the monitor creates it, its memory the page
 * above (when it has memory). */
static struct device make_device(const char *board_name, const char *name)
{
    memset(&F, 0, sizeof F);
    memset(page, 0, sizeof page);
    const struct board *b = board_find(board_name);
    assert_non_null(b);
    const struct board_device *bd = b->devices;
    while (bd->name && strcmp(bd->name, name))
        bd++;
    assert_non_null(bd->name);
    struct device d = {0};
    snprintf(d.name, sizeof d.name, "%s", bd->name);
    d.model = bd->model;
    d.host = &fake_host;
    d.port_base = bd->port_base;
    d.port_count = bd->port_count;
    d.mmio_base = bd->mmio_base;
    d.mmio_size = bd->mmio_size;
    d.pci_bdf = bd->pci_bdf;
    while (d.nirqs < DEVICE_MAX_IRQS && bd->irq[d.nirqs].kind) {
        d.irq[d.nirqs] = bd->irq[d.nirqs];
        d.nirqs++;
    }
    char err[256];
    assert_int_equal(d.model->create(&d, err, sizeof err), 0);
    if (d.mmio_size)
        d.mmio = page;
    if (d.model->start)
        d.model->start(&d);
    return d;
}

static uint64_t reg64(unsigned off) { return *(volatile uint64_t *)(page + off); }
static void set_reg64(unsigned off, uint64_t v) { *(volatile uint64_t *)(page + off) = v; }

/* ---- the virtual timer ---- */
static void vtimer_fires_once_at_its_deadline(void **state)
{
    (void)state;
    struct device d = make_device("hostkit", "vtimer");
    assert_int_equal(d.mmio_base, 0x0ffe0000);
    assert_int_equal(d.irq[0].number, 120);
    F.now = 1000;
    d.model->sync(&d);
    assert_int_equal(reg64(0x00), 1000); /* NOW as of the kernel entry */
    assert_false(d.model->busy(&d));
    set_reg64(0x08, 5000); /* DEADLINE */
    F.now = 2000;
    assert_int_equal(d.model->next_event(&d), UINT64_MAX); /* not seen before the kernel entry */
    d.model->sync(&d);
    assert_true(d.model->busy(&d));
    assert_int_equal(d.model->next_event(&d), 5000);
    d.model->tick(&d, 4999);
    assert_int_equal(F.irqs[0], 0);
    d.model->tick(&d, 5000);
    assert_int_equal(F.irqs[0], 1);
    assert_int_equal(reg64(0x10) & 1, 1); /* STATUS: fired */
    assert_false(d.model->busy(&d));
    d.model->tick(&d, 9000);
    assert_int_equal(F.irqs[0], 1); /* one-shot */
    /* the same DEADLINE again does not re-arm; a new one does; 0 disarms */
    d.model->sync(&d);
    assert_false(d.model->busy(&d));
    set_reg64(0x08, 20000);
    d.model->sync(&d);
    assert_int_equal(d.model->next_event(&d), 20000);
    set_reg64(0x08, 0);
    d.model->sync(&d);
    assert_false(d.model->busy(&d));
    d.model->destroy(&d);
}

/* ---- the 16550 UART (COM1 of x86_64_generic) ---- */
enum { RBR = 0, IER = 1, IIR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7 };
static uint8_t in8(struct device *d, unsigned reg) { return (uint8_t)d->model->port_in(d, reg, 1); }
static void out8(struct device *d, unsigned reg, uint8_t v) { d->model->port_out(d, reg, 1, v); }

static void option(struct device *d, const char *key, const char *value)
{
    char err[256] = "";
    if (d->model->option(d, key, value, err, sizeof err) < 0)
        fail_msg("option %s=%s: %s", key, value, err);
}

static char *temp_file(const char *text)
{
    static char path[64];
    snprintf(path, sizeof path, "/tmp/hostkit-test-devices-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

static void uart_registers_as_the_data_sheet_says(void **state)
{
    (void)state;
    struct device d = make_device("x86_64_generic", "com1");
    assert_int_equal(d.port_base, 0x3f8);
    assert_int_equal(d.port_count, 8);
    assert_int_equal(d.irq[0].kind, DEVICE_IRQ_IOAPIC);
    assert_int_equal(d.irq[0].number, 4);
    option(&d, "input", "none");
    assert_int_equal(in8(&d, LSR), 0x60); /* THR empty, transmitter empty, no data */
    assert_int_equal(in8(&d, IIR), 0x01); /* no interrupt pending */
    out8(&d, RBR, 'h');
    out8(&d, RBR, 'i');
    assert_int_equal(F.out_len, 2);
    assert_memory_equal(F.out, "hi", 2);
    /* the divisor latch behind DLAB: no byte sent, IER untouched */
    out8(&d, LCR, 0x80);
    out8(&d, RBR, 0x01);
    out8(&d, IER, 0x00);
    assert_int_equal(in8(&d, RBR), 0x01);
    out8(&d, LCR, 0x03);
    assert_int_equal(in8(&d, LCR), 0x03);
    assert_int_equal(F.out_len, 2);
    out8(&d, SCR, 0x5a);
    assert_int_equal(in8(&d, SCR), 0x5a);
    /* FIFO on: IIR's top bits say so */
    out8(&d, IIR, 0x01);
    assert_int_equal(in8(&d, IIR), 0xc1);
    /* the THR-empty interrupt: raised when enabled, cleared by reading IIR */
    out8(&d, IER, 0x02);
    assert_true(F.level[0]);
    assert_int_equal(in8(&d, IIR), 0xc2);
    assert_int_equal(in8(&d, IIR), 0xc1);
    assert_false(F.level[0]);
    out8(&d, RBR, '!'); /* sent: THR empty again */
    assert_true(F.level[0]);
    out8(&d, IER, 0x00);
    assert_false(F.level[0]);
    /* loopback: THR comes back in RBR, MSR mirrors MCR (DTR -> DSR, RTS -> CTS, OUT2 -> DCD) */
    out8(&d, MCR, 0x10 | 0x08 | 0x02 | 0x01);
    out8(&d, RBR, 'x');
    assert_int_equal(F.out_len, 3);
    assert_int_equal(in8(&d, LSR) & 0x01, 1);
    assert_int_equal(in8(&d, RBR), 'x');
    assert_int_equal(in8(&d, LSR) & 0x01, 0);
    assert_int_equal(in8(&d, MSR), 0x80 | 0x20 | 0x10);
    out8(&d, MCR, 0x0b);
    assert_int_equal(in8(&d, MSR), 0xb0); /* a terminal: CTS, DSR, DCD */
    d.model->destroy(&d);
}

static void uart_receives_a_file_when_the_driver_listens(void **state)
{
    (void)state;
    struct device d = make_device("x86_64_generic", "com1");
    option(&d, "input", temp_file("abc"));
    /* nothing flows before the receiver is used */
    assert_int_equal(d.model->next_event(&d), UINT64_MAX);
    assert_int_equal(in8(&d, LSR) & 0x01, 0);
    out8(&d, IER, 0x01); /* receive interrupt on: the line goes high with data */
    assert_int_equal(F.irqs[0], 1);
    assert_true(F.level[0]);
    assert_int_equal(in8(&d, IIR), 0x04); /* received data available */
    assert_true(d.model->busy(&d));
    /* FIFO off: one byte at a time, the next there as soon as it is read */
    assert_int_equal(in8(&d, RBR), 'a');
    assert_true(F.level[0]);
    assert_int_equal(in8(&d, RBR), 'b');
    assert_int_equal(in8(&d, RBR), 'c');
    assert_int_equal(in8(&d, LSR) & 0x01, 0);
    assert_false(F.level[0]); /* withdrawn: no data left */
    assert_int_equal(F.irqs[0], 1);
    d.model->tick(&d, 1);
    assert_false(d.model->busy(&d)); /* the end of the file */
    d.model->destroy(&d);
}

static void uart_script_expects_sends_and_waits(void **state)
{
    (void)state;
    struct device d = make_device("x86_64_generic", "com1");
    option(&d, "script", temp_file("# a dialogue\nexpect Please give me\nsend 12\n\nwait 0.5\nsend \\e[0m\\x1c1\\r\nexpect done\n"));
    out8(&d, IIR, 0x01); /* FIFO on */
    out8(&d, IER, 0x01);
    assert_int_equal(F.irqs[0], 0);
    assert_int_equal(d.model->next_event(&d), UINT64_MAX); /* waiting for output */
    assert_true(d.model->busy(&d) == false);             /* for the PDs' output, not for time */
    d.model->output_seen(&d, "Please give", 11);
    d.model->tick(&d, 0);
    assert_int_equal(F.irqs[0], 0);
    F.now = 100;
    d.model->output_seen(&d, " me character!\r\n", 16);
    assert_int_equal(d.model->next_event(&d), 0); /* "12" is ready */
    d.model->tick(&d, 100);
    assert_int_equal(F.irqs[0], 1);
    assert_int_equal(in8(&d, RBR), '1');
    assert_int_equal(in8(&d, RBR), '2');
    assert_int_equal(in8(&d, LSR) & 0x01, 0);
    /* then half a second from the send */
    assert_int_equal(d.model->next_event(&d), 100 + 500000000);
    assert_true(d.model->busy(&d));
    F.now = 100 + 500000000;
    d.model->tick(&d, F.now);
    assert_int_equal(F.irqs[0], 2);
    const char want[] = "\x1b[0m\x1c" "1\r";
    for (size_t k = 0; k < sizeof want - 1; k++)
        assert_int_equal(in8(&d, RBR), (uint8_t)want[k]);
    assert_int_equal(in8(&d, LSR) & 0x01, 0);
    d.model->destroy(&d);
}

static void uart_script_errors_name_the_file_and_line(void **state)
{
    (void)state;
    struct device d = make_device("x86_64_generic", "com1");
    char err[256] = "";
    const char *path = temp_file("send ok\ntype oops\n");
    assert_int_equal(d.model->option(&d, "script", path, err, sizeof err), -1);
    char want[256];
    snprintf(want, sizeof want, "input script %s line 2: 'type' is not a step (expect, send, wait)", path);
    assert_string_equal(err, want);
    path = temp_file("wait soon\n");
    assert_int_equal(d.model->option(&d, "script", path, err, sizeof err), -1);
    assert_non_null(strstr(err, "line 1: 'wait' wants seconds, not 'soon'"));
    path = temp_file("send \\q\n");
    assert_int_equal(d.model->option(&d, "script", path, err, sizeof err), -1);
    assert_non_null(strstr(err, "line 1: a bad escape"));
    assert_int_equal(d.model->option(&d, "input", "/nonexistent/keys", err, sizeof err), -1);
    assert_string_equal(err, "cannot read input file '/nonexistent/keys': No such file or directory");
    assert_int_equal(d.model->option(&d, "baud", "9600", err, sizeof err), -1);
    d.model->destroy(&d);
}

/* End to end: a driver PD on COM1, its input a file, then a script that waits for its output. */
static void uart_echo_driver_on_x86_64_generic(void **state)
{
    (void)state;
    struct run_result r;
    char spec[128];
    snprintf(spec, sizeof spec, "com1,input=%s", temp_file("hello\rworld\r"));
    run_system(&r, "uart_echo", "--board", "x86_64_generic", "--device", spec, NULL);
    assert_exit(&r, 0);
    assert_text_equal("echo of a file",
                      "echo: ready\r\necho: hello (6 bytes so far)\r\necho: world (12 bytes so far)\r\n", r.out);
    run_result_free(&r);
    snprintf(spec, sizeof spec, "com1,script=%s",
             temp_file("expect ready\\r\\n\nsend one\\r\nexpect (4 bytes\nwait 0.1\nsend two\\rthree\\r\nexpect never\n"));
    run_system(&r, "uart_echo", "--board", "x86_64_generic", "--device", spec, "--timeout", "20", NULL);
    assert_exit(&r, 0);
    assert_text_equal("echo of a script",
                      "echo: ready\r\necho: one (4 bytes so far)\r\necho: two (8 bytes so far)\r\n"
                      "echo: three (14 bytes so far)\r\n",
                      r.out);
    assert_true(contains(r.err, "com1: input script"));
    assert_true(contains(r.err, "ended waiting at line 6: expect never"));
    run_result_free(&r);
    /* without the board the ports lead nowhere: writes are lost, reads are all ones */
    run_system(&r, "uart_echo", "--arch", "x86_64", "--timeout", "20", NULL);
    assert_exit(&r, 0);
    assert_string_equal(r.out, "");
    run_result_free(&r);
}

/* ---- the HPET (x86_64_generic) ---- */
enum { GCAP_ID = 0x000, GEN_CONF = 0x010, GINTR_STA = 0x020, MAIN_CNT = 0x0f0, T0_CONF = 0x100, T0_CMP = 0x108 };

/* A PD's kernel entry at time NOW: the device takes what was written, refreshes what is read. */
static void entry(struct device *d, uint64_t now)
{
    F.now = now;
    d->model->sync(d);
}

/* The HPET with its registers in shared memory, synced at kernel entries (access=sync). */
static struct device make_synced_hpet(void)
{
    struct device d = make_device("x86_64_generic", "hpet");
    assert_true(d.trap); /* trapped by default */
    option(&d, "access", "sync");
    assert_false(d.trap);
    d.model->start(&d);
    return d;
}

static void hpet_counts_and_fires_as_tsc_hpet_programs_it(void **state)
{
    (void)state;
    struct device d = make_synced_hpet();
    assert_int_equal(d.mmio_base, 0xfed00000);
    assert_int_equal(d.irq[0].number, 2); /* timer 0 in legacy routing */
    uint64_t cap = reg64(GCAP_ID);
    assert_int_equal(cap >> 32, 10000000); /* 10 ns, in fs */
    assert_true(cap & (1u << 13));         /* 64-bit counter */
    assert_true(cap & (1u << 15));         /* legacy routing */
    assert_int_equal((cap >> 8) & 31, 2);  /* 3 timers */
    assert_true(reg64(T0_CONF) & (1u << 5)); /* timer 0 is 64-bit */
    assert_int_equal(reg64(T0_CMP), UINT64_MAX);
    /* the driver's init, all in one handler: stop, configure, reset the counter, start */
    set_reg64(GEN_CONF, 0);
    set_reg64(T0_CONF, (reg64(T0_CONF) | (1u << 2)) & ~(uint64_t)((1u << 14) | (1u << 1) | (1u << 8) | (1u << 3)));
    set_reg64(MAIN_CNT, 0);
    set_reg64(GEN_CONF, 3);
    entry(&d, 1000000);
    assert_int_equal(reg64(MAIN_CNT), 0);
    entry(&d, 1000000 + 5000);
    assert_int_equal(reg64(MAIN_CNT), 500); /* 100 MHz */
    assert_int_equal(d.model->next_event(&d), UINT64_MAX);
    assert_false(d.model->busy(&d));
    /* a timeout 1 ms on: comparator = now + 100000 ticks, taken at the end of the handler */
    set_reg64(T0_CMP, reg64(MAIN_CNT) + 100000);
    entry(&d, 1000000 + 6000);
    assert_true(d.model->busy(&d));
    assert_int_equal(d.model->next_event(&d), 1000000 + 5000 + 1000000);
    d.model->tick(&d, 1000000 + 5000 + 999999);
    assert_int_equal(F.irqs[0], 0);
    d.model->tick(&d, 1000000 + 5000 + 1000000);
    assert_int_equal(F.irqs[0], 1); /* edge: once */
    d.model->tick(&d, 9000000);
    assert_int_equal(F.irqs[0], 1);
    assert_false(d.model->busy(&d));
    assert_int_equal(reg64(GINTR_STA), 0); /* edge-triggered: no status */
    /* halted, the counter stands still; started again, it goes on from there */
    set_reg64(GEN_CONF, 2);
    entry(&d, 10000000);
    assert_int_equal(reg64(MAIN_CNT), 900000);
    entry(&d, 20000000);
    assert_int_equal(reg64(MAIN_CNT), 900000);
    set_reg64(GEN_CONF, 3);
    entry(&d, 20000000);
    entry(&d, 20001000);
    assert_int_equal(reg64(MAIN_CNT), 900100);
    d.model->destroy(&d);
}

static void hpet_level_and_periodic_timers(void **state)
{
    (void)state;
    struct device d = make_synced_hpet();
    /* level-triggered, interrupt enabled, periodic every 10 ticks from tick 10 */
    set_reg64(GEN_CONF, 3);
    set_reg64(T0_CONF, (1u << 1) | (1u << 2) | (1u << 3));
    set_reg64(T0_CMP, 10);
    entry(&d, 0);
    d.model->tick(&d, 100); /* tick 10 */
    assert_true(F.level[0]);
    assert_int_equal(reg64(GINTR_STA) & 1, 1);
    assert_int_equal(reg64(T0_CMP), 20); /* advanced by the period */
    assert_int_equal(d.model->next_event(&d), 200);
    /* the status cleared (by writing 0: see hpet.c) drops the line */
    set_reg64(GINTR_STA, 0);
    entry(&d, 150);
    assert_false(F.level[0]);
    d.model->tick(&d, 200);
    assert_true(F.level[0]);
    assert_int_equal(F.irqs[0], 2);
    assert_true(d.model->busy(&d)); /* periodic: for ever */
    /* routed to IOAPIC pin 21 without legacy routing: line 3 of the board's list */
    set_reg64(GEN_CONF, 1);
    set_reg64(T0_CONF, (1u << 2) | (21u << 9));
    set_reg64(T0_CMP, 1000);
    set_reg64(GINTR_STA, 0);
    entry(&d, 300);
    assert_int_equal(d.irq[3].number, 21);
    d.model->tick(&d, 10000);
    assert_int_equal(F.irqs[3], 1);
    d.model->destroy(&d);
}

/* ---- the PL011 UART (QEMU virt aarch64), trapped: every access a model call ---- */
enum { PL_DR = 0x000, PL_FR = 0x018, PL_IBRD = 0x024, PL_LCR_H = 0x02c, PL_CR = 0x030, PL_IFLS = 0x034,
       PL_IMSC = 0x038, PL_RIS = 0x03c, PL_MIS = 0x040, PL_ICR = 0x044 };
#define PL_TX (1u << 5)
#define PL_RX (1u << 4)
#define PL_RT (1u << 6)
static uint32_t pl_read(struct device *d, unsigned reg) { return (uint32_t)d->model->mmio_read(d, reg, 4); }
static void pl_write(struct device *d, unsigned reg, uint32_t v) { d->model->mmio_write(d, reg, 4, v); }

static void pl011_registers_as_the_trm_says(void **state)
{
    (void)state;
    struct device d = make_device("qemu_virt_aarch64", "uart");
    assert_int_equal(d.mmio_base, 0x09000000);
    assert_int_equal(d.irq[0].kind, DEVICE_IRQ_LINE);
    assert_int_equal(d.irq[0].number, 33); /* SPI 1 */
    assert_true(d.trap);
    option(&d, "input", "none");
    /* the identification registers: part 0x011, PrimeCell id 0xb105f00d */
    assert_int_equal(pl_read(&d, 0xfe0), 0x11);
    assert_int_equal(pl_read(&d, 0xfe4), 0x10);
    assert_int_equal(pl_read(&d, 0xff0), 0x0d);
    assert_int_equal(pl_read(&d, 0xffc), 0xb1);
    /* reset values */
    assert_int_equal(pl_read(&d, PL_CR), 0x300);
    assert_int_equal(pl_read(&d, PL_IFLS), 0x12);
    assert_int_equal(pl_read(&d, PL_FR), 0x90); /* TXFE, RXFE */
    assert_int_equal(pl_read(&d, PL_RIS), 0);
    pl_write(&d, PL_IBRD, 0x1234a);
    assert_int_equal(pl_read(&d, PL_IBRD), 0x234a); /* 16 bits */
    /* transmitting: at once, in order; each byte leaves the transmit interrupt raised */
    pl_write(&d, PL_DR, 'h');
    d.model->mmio_write(&d, PL_DR, 1, 'i'); /* a byte store (strb) */
    assert_int_equal(F.out_len, 2);
    assert_memory_equal(F.out, "hi", 2);
    assert_int_equal(pl_read(&d, PL_RIS), PL_TX);
    assert_int_equal(pl_read(&d, PL_MIS), 0);
    assert_false(F.level[0]);
    pl_write(&d, PL_IMSC, PL_TX);
    assert_true(F.level[0]);
    assert_int_equal(pl_read(&d, PL_MIS), PL_TX);
    pl_write(&d, PL_ICR, PL_TX); /* TXIC */
    assert_false(F.level[0]);
    assert_int_equal(pl_read(&d, PL_RIS), 0);
    pl_write(&d, PL_DR, '!');
    assert_true(F.level[0]);
    pl_write(&d, PL_IMSC, 0);
    assert_false(F.level[0]);
    /* loopback: the byte comes back to the receiver, not to the output */
    pl_write(&d, PL_CR, 0x300 | 0x80 | 0x01);
    pl_write(&d, PL_DR, 'x');
    assert_int_equal(F.out_len, 3);
    assert_int_equal(pl_read(&d, PL_FR) & 0x10, 0); /* RXFE clear */
    assert_int_equal(pl_read(&d, PL_FR) & 0x40, 0x40); /* FIFO off: one byte fills it (RXFF) */
    assert_int_equal(pl_read(&d, PL_DR), 'x');
    assert_int_equal(pl_read(&d, PL_FR) & 0x10, 0x10);
    d.model->destroy(&d);
}

static void pl011_receives_a_file_when_the_driver_listens(void **state)
{
    (void)state;
    struct device d = make_device("qemu_virt_aarch64", "uart");
    option(&d, "input", temp_file("abcdefghijklmnopqrstuvwxyz"));
    assert_int_equal(d.model->next_event(&d), UINT64_MAX); /* nothing flows before the receiver is used */
    assert_int_equal(pl_read(&d, PL_FR) & 0x10, 0x10);
    pl_write(&d, PL_LCR_H, 0x70);          /* 8 bits, FIFOs on */
    pl_write(&d, PL_IMSC, PL_RX | PL_RT);  /* as sDDF's driver unmasks them */
    /* 26 bytes: the FIFO takes 32, so all; at least half full (IFLS 0x12): RX and the timeout */
    assert_true(F.level[0]);
    assert_int_equal(pl_read(&d, PL_MIS), PL_RX | PL_RT);
    assert_int_equal(pl_read(&d, PL_FR) & 0x10, 0);
    for (char c = 'a'; c <= 'j'; c++)
        assert_int_equal(pl_read(&d, PL_DR), (uint32_t)c);
    /* 16 left: RX still; 15 left: below the level, the timeout only */
    assert_int_equal(pl_read(&d, PL_MIS), PL_RX | PL_RT);
    assert_int_equal(pl_read(&d, PL_DR), 'k');
    assert_int_equal(pl_read(&d, PL_MIS), PL_RT);
    pl_write(&d, PL_ICR, PL_RT); /* RTIC: cleared until more data arrives */
    assert_int_equal(pl_read(&d, PL_MIS), 0);
    assert_false(F.level[0]);
    for (char c = 'l'; c <= 'z'; c++)
        assert_int_equal(pl_read(&d, PL_DR), (uint32_t)c);
    assert_int_equal(pl_read(&d, PL_FR) & 0x10, 0x10);
    assert_false(F.level[0]);
    d.model->tick(&d, 1);
    assert_false(d.model->busy(&d)); /* the end of the file */
    d.model->destroy(&d);
}

/* The 16550 memory-mapped: QEMU virt riscv64's NS16550A, registers a byte apart. */
static void uart16550_memory_mapped_on_qemu_virt_riscv64(void **state)
{
    (void)state;
    struct device d = make_device("qemu_virt_riscv64", "uart");
    assert_int_equal(d.mmio_base, 0x10000000);
    assert_int_equal(d.irq[0].number, 10);
    assert_true(d.trap);
    option(&d, "input", "none");
    assert_int_equal(d.model->mmio_read(&d, LSR, 1), 0x60);
    d.model->mmio_write(&d, RBR, 1, 'o');
    d.model->mmio_write(&d, RBR, 1, 'k');
    assert_memory_equal(F.out, "ok", 2);
    d.model->mmio_write(&d, IER, 1, 0x02);
    assert_true(F.level[0]);
    assert_int_equal(d.model->mmio_read(&d, IIR, 1), 0x02);
    assert_false(F.level[0]);
    assert_int_equal(d.model->mmio_read(&d, 0x40, 1), 0); /* beyond the registers */
    d.model->destroy(&d);
}

/* End to end: a PL011 driver PD on qemu_virt_aarch64, every register access trapped and served by
 * the model; its input a file, then a script. */
static void pl011_echo_driver_on_qemu_virt_aarch64(void **state)
{
    (void)state;
    struct run_result r;
    char spec[128];
    snprintf(spec, sizeof spec, "uart,input=%s", temp_file("hello\rworld\r"));
    run_system(&r, "pl011_echo", "--board", "qemu_virt_aarch64", "--device", spec, NULL);
    assert_exit(&r, 0);
    assert_text_equal("echo of a file",
                      "echo: ready\r\necho: hello (6 bytes so far)\r\necho: world (12 bytes so far)\r\n", r.out);
    run_result_free(&r);
    snprintf(spec, sizeof spec, "uart,script=%s", temp_file("expect ready\\r\\n\nsend one\\r\nexpect (4 bytes\nsend two\\r\n"));
    run_system(&r, "pl011_echo", "--board", "qemu_virt_aarch64", "--device", spec, "--timeout", "20", NULL);
    assert_exit(&r, 0);
    assert_text_equal("echo of a script", "echo: ready\r\necho: one (4 bytes so far)\r\necho: two (8 bytes so far)\r\n",
                      r.out);
    run_result_free(&r);
}

/* ---- virtio-mmio (QEMU virt aarch64's slots) ---- */
enum { VM_MAGIC = 0x000, VM_VERSION = 0x004, VM_DEVICE_ID = 0x008, VM_DEVICE_FEATURES = 0x010,
       VM_DEVICE_FEATURES_SEL = 0x014, VM_DRIVER_FEATURES = 0x020, VM_DRIVER_FEATURES_SEL = 0x024,
       VM_QUEUE_SEL = 0x030, VM_QUEUE_NUM_MAX = 0x034, VM_QUEUE_NUM = 0x038, VM_QUEUE_READY = 0x044,
       VM_QUEUE_NOTIFY = 0x050, VM_INTERRUPT_STATUS = 0x060, VM_INTERRUPT_ACK = 0x064, VM_STATUS = 0x070,
       VM_QUEUE_DESC_LOW = 0x080, VM_QUEUE_DESC_HIGH = 0x084, VM_QUEUE_DRIVER_LOW = 0x090,
       VM_QUEUE_DEVICE_LOW = 0x0a0, VM_CONFIG = 0x100 };
static uint32_t vm_read(struct device *d, unsigned reg) { return (uint32_t)d->model->mmio_read(d, reg, 4); }
static void vm_write(struct device *d, unsigned reg, uint32_t v) { d->model->mmio_write(d, reg, 4, v); }

/* Queue Q of 8 entries at RAM_BASE + BASE: descriptors, avail at +0x100, used at +0x200. */
static void vm_queue(struct device *d, unsigned q, unsigned base)
{
    vm_write(d, VM_QUEUE_SEL, q);
    assert_int_equal(vm_read(d, VM_QUEUE_NUM_MAX), 256);
    vm_write(d, VM_QUEUE_NUM, 8);
    vm_write(d, VM_QUEUE_DESC_LOW, RAM_BASE + base);
    vm_write(d, VM_QUEUE_DESC_HIGH, 0);
    vm_write(d, VM_QUEUE_DRIVER_LOW, RAM_BASE + base + 0x100);
    vm_write(d, VM_QUEUE_DEVICE_LOW, RAM_BASE + base + 0x200);
    vm_write(d, VM_QUEUE_READY, 1);
    assert_int_equal(vm_read(d, VM_QUEUE_READY), 1);
}

/* Chain HEAD offered in the queue at BASE as avail ring entry IDX (the index becomes IDX + 1). */
static void vm_offer(unsigned base, uint16_t idx, uint16_t head)
{
    memcpy(ram + base + 0x100 + 4 + 2 * (idx % 8), &head, 2);
    uint16_t n = (uint16_t)(idx + 1);
    memcpy(ram + base + 0x102, &n, 2);
}

static void vm_desc(unsigned base, unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    uint8_t *p = ram + base + 16 * i;
    memcpy(p, &addr, 8), memcpy(p + 8, &len, 4), memcpy(p + 12, &flags, 2), memcpy(p + 14, &next, 2);
}

static uint16_t vm_used_idx(unsigned base)
{
    uint16_t v;
    memcpy(&v, ram + base + 0x202, 2);
    return v;
}
static uint32_t vm_used_len(unsigned base, unsigned k)
{
    uint32_t v;
    memcpy(&v, ram + base + 0x204 + 8 * k + 4, 4);
    return v;
}

static void virtio_mmio_slots_of_qemu_virt_aarch64(void **state)
{
    (void)state;
    const struct board *b = board_find("qemu_virt_aarch64");
    unsigned slots = 0;
    for (const struct board_device *bd = b->devices; bd->name; bd++)
        if (bd->mmio_base >= 0x0a000000u && bd->mmio_base < 0x0a004000u) {
            unsigned n = (unsigned)(bd->mmio_base - 0x0a000000u) / 0x200;
            assert_int_equal(bd->mmio_base, 0x0a000000u + 0x200 * n);
            assert_int_equal(bd->mmio_size, 0x200);
            assert_int_equal(bd->irq[0].number, 48 + n);
            slots |= 1u << n;
        }
    assert_int_equal(slots, 0xffffffffu); /* all 32 */
    /* an empty slot: the magic and version, DeviceID 0 */
    struct device e = make_device("qemu_virt_aarch64", "virtio7");
    assert_int_equal(e.mmio_base, 0x0a000e00);
    assert_int_equal(vm_read(&e, VM_MAGIC), 0x74726976);
    assert_int_equal(vm_read(&e, VM_VERSION), 2);
    assert_int_equal(vm_read(&e, VM_DEVICE_ID), 0);
    assert_int_equal(vm_read(&e, VM_QUEUE_NUM_MAX), 0);
    e.model->destroy(&e);
    /* the network device in slot 0, the disk in slot 1, where sDDF's board file looks */
    struct device n = make_device("qemu_virt_aarch64", "net");
    assert_int_equal(n.mmio_base, 0x0a000000);
    assert_int_equal(vm_read(&n, VM_DEVICE_ID), 1);
    assert_int_equal(n.model->pci_read(&n, 0, 4), 0xffffffffu); /* no PCI function */
    assert_int_equal(n.model->mmio_read(&n, VM_CONFIG, 1), 0x52); /* its MAC's first byte */
    n.model->destroy(&n);
    struct device c = make_device("qemu_virt_aarch64", "console");
    assert_int_equal(c.mmio_base, 0x0a000400);
    assert_int_equal(c.irq[0].number, 50);
    assert_int_equal(vm_read(&c, VM_DEVICE_ID), 3);
    c.model->destroy(&c);
}

/* End to end: a PD maps the page of slots 0-7 and each access reaches the slot it falls in. */
static void virtio_mmio_slots_share_a_page(void **state)
{
    (void)state;
    struct run_result r;
    run_system(&r, "virtio_mmio_probe", "--board", "qemu_virt_aarch64", NULL);
    assert_exit(&r, 0);
    char want[1024] = "";
    static const unsigned ids[8] = {1, 2, 3, 0, 0, 0, 0, 0};
    for (unsigned n = 0; n < 8; n++)
        snprintf(want + strlen(want), sizeof want - strlen(want),
                 "slot %u: magic 0x74726976 version 0x00000002 device 0x%08x\r\n", n, ids[n]);
    strcat(want, "queue 1 sizes: 0x00000100 0x00000000 0x00000100 0x00000000 0x00000000 0x00000000 0x00000000 "
                 "0x00000000\r\n");
    assert_text_equal("the slots' registers", want, r.out);
    run_result_free(&r);
}

static void virtio_blk_in_a_virtio_mmio_slot(void **state)
{
    (void)state;
    char *disk = temp_file("");
    FILE *f = fopen(disk, "w");
    for (int k = 0; k < 4 * 512; k++)
        fputc(k / 512 + 'A', f);
    fclose(f);
    struct device d = make_device("qemu_virt_aarch64", "blk");
    assert_int_equal(d.mmio_base, 0x0a000200);
    assert_int_equal(d.irq[0].number, 49);
    option(&d, "file", disk);
    d.model->start(&d);
    memset(ram, 0, sizeof ram);
    assert_int_equal(vm_read(&d, VM_DEVICE_ID), 2);
    assert_int_equal(vm_read(&d, 0x00c), 0x1af4); /* VendorID */
    assert_int_equal(vm_read(&d, VM_CONFIG), 4);   /* capacity: 4 sectors */
    /* the driver's initialisation (3.1.1): features word 1 has VIRTIO_F_VERSION_1 */
    vm_write(&d, VM_STATUS, 1 | 2);
    vm_write(&d, VM_DEVICE_FEATURES_SEL, 1);
    assert_int_equal(vm_read(&d, VM_DEVICE_FEATURES), 1);
    vm_write(&d, VM_DEVICE_FEATURES_SEL, 0);
    assert_int_equal(vm_read(&d, VM_DEVICE_FEATURES), 1u << 6); /* VIRTIO_BLK_F_BLK_SIZE */
    vm_write(&d, VM_DRIVER_FEATURES_SEL, 1);
    vm_write(&d, VM_DRIVER_FEATURES, 1 | 2); /* bit 33 was not offered: dropped */
    vm_write(&d, VM_STATUS, 1 | 2 | 8);
    vm_write(&d, VM_QUEUE_SEL, 1);
    assert_int_equal(vm_read(&d, VM_QUEUE_NUM_MAX), 0); /* one queue only */
    vm_queue(&d, 0, 0);
    vm_write(&d, VM_STATUS, 1 | 2 | 4 | 8);
    assert_int_equal(vm_read(&d, VM_STATUS), 15);
    /* a read of sector 2 through the queue: header, data, status */
    vm_desc(0, 0, RAM_BASE + 0x1000, 16, 1, 1);
    vm_desc(0, 1, RAM_BASE + 0x2000, 512, 1 | 2, 2);
    vm_desc(0, 2, RAM_BASE + 0x3000, 1, 2, 0);
    uint32_t hdr[4] = {0 /* IN */, 0, 2, 0};
    memcpy(ram + 0x1000, hdr, sizeof hdr);
    ram[0x3000] = 0xff;
    vm_offer(0, 0, 0);
    assert_false(F.level[0]);
    vm_write(&d, VM_QUEUE_NOTIFY, 0);
    assert_int_equal(ram[0x3000], 0); /* VIRTIO_BLK_S_OK */
    assert_int_equal(ram[0x2000], 'C');
    assert_int_equal(ram[0x2000 + 511], 'C');
    assert_int_equal(vm_used_idx(0), 1);
    assert_int_equal(vm_used_len(0, 0), 513);
    /* the used-buffer interrupt: InterruptStatus bit 0 until InterruptACK, IRQ 49 high till then */
    assert_true(F.level[0]);
    assert_int_equal(vm_read(&d, VM_INTERRUPT_STATUS), 1);
    assert_int_equal(vm_read(&d, VM_INTERRUPT_STATUS), 1); /* reading does not clear it */
    vm_write(&d, VM_INTERRUPT_ACK, 1);
    assert_int_equal(vm_read(&d, VM_INTERRUPT_STATUS), 0);
    assert_false(F.level[0]);
    /* a notification of a queue that does not exist does nothing; a reset forgets the queue */
    vm_write(&d, VM_QUEUE_NOTIFY, 5);
    vm_write(&d, VM_STATUS, 0);
    vm_write(&d, VM_QUEUE_SEL, 0);
    assert_int_equal(vm_read(&d, VM_QUEUE_READY), 0);
    assert_int_equal(vm_read(&d, VM_STATUS), 0);
    d.model->destroy(&d);
}

static void virtio_console_transmits_and_receives(void **state)
{
    (void)state;
    struct device d = make_device("qemu_virt_aarch64", "console");
    option(&d, "input", temp_file("typed"));
    memset(ram, 0, sizeof ram);
    vm_write(&d, VM_STATUS, 1 | 2);
    vm_write(&d, VM_DEVICE_FEATURES_SEL, 0);
    assert_int_equal(vm_read(&d, VM_DEVICE_FEATURES), 0); /* no SIZE, MULTIPORT, EMERG_WRITE */
    vm_write(&d, VM_STATUS, 1 | 2 | 8);
    vm_queue(&d, 0, 0);      /* receiveq */
    vm_queue(&d, 1, 0x400);  /* transmitq */
    vm_write(&d, VM_QUEUE_SEL, 2);
    assert_int_equal(vm_read(&d, VM_QUEUE_NUM_MAX), 0); /* port 0 only: no control queues */
    assert_int_equal(d.model->next_event(&d), UINT64_MAX); /* no input before DRIVER_OK */
    vm_write(&d, VM_STATUS, 1 | 2 | 4 | 8);
    /* transmitting: a chain of two readable buffers, output in order, used with length 0 */
    memcpy(ram + 0x5000, "hello, ", 7);
    memcpy(ram + 0x5100, "world", 5);
    vm_desc(0x400, 0, RAM_BASE + 0x5000, 7, 1, 1);
    vm_desc(0x400, 1, RAM_BASE + 0x5100, 5, 0, 0);
    vm_offer(0x400, 0, 0);
    vm_write(&d, VM_QUEUE_NOTIFY, 1);
    assert_int_equal(F.out_len, 12);
    assert_memory_equal(F.out, "hello, world", 12);
    assert_int_equal(vm_used_idx(0x400), 1);
    assert_int_equal(vm_used_len(0x400, 0), 0);
    assert_true(F.level[0]);
    vm_write(&d, VM_INTERRUPT_ACK, 1);
    assert_false(F.level[0]);
    /* receiving: the input goes into an offered buffer of 4 bytes, then the next */
    d.model->tick(&d, 0); /* the driver is ready: input starts */
    assert_int_equal(vm_used_idx(0), 0); /* no buffer yet: nothing taken */
    vm_desc(0, 0, RAM_BASE + 0x3000, 4, 2, 0);
    vm_offer(0, 0, 0);
    vm_write(&d, VM_QUEUE_NOTIFY, 0);
    assert_int_equal(vm_used_idx(0), 1);
    assert_int_equal(vm_used_len(0, 0), 4);
    assert_memory_equal(ram + 0x3000, "type", 4);
    assert_true(F.level[0]);
    vm_write(&d, VM_INTERRUPT_ACK, 1);
    vm_desc(0, 1, RAM_BASE + 0x3100, 64, 2, 0);
    vm_offer(0, 1, 1);
    vm_write(&d, VM_QUEUE_NOTIFY, 0);
    assert_int_equal(vm_used_idx(0), 2);
    assert_int_equal(vm_used_len(0, 1), 1);
    assert_int_equal(ram[0x3100], 'd');
    assert_true(F.level[0]);
    /* a buffer offered with nothing left to take stays offered */
    vm_desc(0, 2, RAM_BASE + 0x3200, 64, 2, 0);
    vm_offer(0, 2, 2);
    vm_write(&d, VM_QUEUE_NOTIFY, 0);
    assert_int_equal(vm_used_idx(0), 2);
    d.model->tick(&d, 1);
    assert_false(d.model->busy(&d)); /* the end of the file */
    d.model->destroy(&d);
}

/* ---- PCI and virtio-blk (x86_64_generic) ---- */
static uint32_t pci_read(struct device *host, unsigned bdf, unsigned reg, unsigned bytes)
{
    host->model->port_out(host, 0, 4, 0x80000000u | bdf << 8 | (reg & 0xfc));
    return host->model->port_in(host, 4 + (reg & 3), bytes);
}

static void pci_config_space_of_the_virtio_blk_function(void **state)
{
    (void)state;
    struct device blk = make_device("x86_64_generic", "blk");
    struct device host = make_device("x86_64_generic", "pci");
    pci_fn = &blk;
    assert_int_equal(host.port_base, 0xcf8);
    unsigned bdf = 3 << 3; /* 00:03.0 */
    assert_int_equal(blk.pci_bdf, (int)bdf);
    assert_int_equal(pci_read(&host, bdf, 0, 4), 0x10011af4u); /* transitional virtio-blk */
    assert_int_equal(pci_read(&host, bdf, 0x0b, 1), 0x01);     /* mass storage */
    assert_int_equal(pci_read(&host, bdf, 0x2e, 2), 2);        /* subsystem: virtio type 2, block */
    assert_int_equal(pci_read(&host, bdf, 0x20, 4), 0xfe000004u);
    assert_int_equal(pci_read(&host, 4 << 3, 0, 4), 0xffffffffu); /* 00:04.0: nothing */
    /* BAR sizing: all ones written, the size read back */
    host.model->port_out(&host, 0, 4, 0x80000000u | bdf << 8 | 0x20);
    host.model->port_out(&host, 4, 4, 0xffffffffu);
    assert_int_equal(pci_read(&host, bdf, 0x20, 4), 0xffffc004u);
    /* the virtio capabilities, as sDDF's transport walks them */
    assert_int_equal(pci_read(&host, bdf, 0x06, 2) & 0x10, 0x10);
    unsigned types = 0, multiplier = 0;
    for (unsigned at = pci_read(&host, bdf, 0x34, 1); at; at = pci_read(&host, bdf, at + 1, 1)) {
        assert_int_equal(pci_read(&host, bdf, at, 1), 0x09);
        unsigned type = pci_read(&host, bdf, at + 3, 1);
        types |= 1u << type;
        assert_int_equal(pci_read(&host, bdf, at + 4, 1), 4); /* BAR 4 */
        if (type == 2)
            multiplier = pci_read(&host, bdf, at + 16, 4);
    }
    assert_int_equal(types, (1u << 1) | (1u << 2) | (1u << 3) | (1u << 4));
    assert_int_equal(multiplier, 4);
    pci_fn = NULL;
    host.model->destroy(&host);
    blk.model->destroy(&blk);
}

static void virtio_blk_reads_and_writes_its_file(void **state)
{
    (void)state;
    char *disk = temp_file("");
    FILE *f = fopen(disk, "w");
    for (int k = 0; k < 8 * 512; k++)
        fputc(k / 512 + 'A', f); /* 8 sectors: AAA..., BBB..., ... */
    fclose(f);
    struct device d = make_device("x86_64_generic", "blk");
    option(&d, "file", disk);
    d.model->start(&d);
    const struct device_model *m = d.model;
    memset(ram, 0, sizeof ram);
    assert_int_equal(m->mmio_read(&d, 0x2000, 8), 8); /* capacity in sectors */
    /* the driver's setup: status, queue 0 of 4 entries at RAM_BASE */
    m->mmio_write(&d, 0x14, 1, 1 | 2 | 8);
    m->mmio_write(&d, 0x16, 2, 0);
    assert_int_equal(m->mmio_read(&d, 0x18, 2), 256); /* the queue's maximum */
    m->mmio_write(&d, 0x18, 2, 4);
    m->mmio_write(&d, 0x20, 8, RAM_BASE);          /* descriptors */
    m->mmio_write(&d, 0x28, 8, RAM_BASE + 0x100);  /* avail */
    m->mmio_write(&d, 0x30, 8, RAM_BASE + 0x200);  /* used */
    m->mmio_write(&d, 0x1c, 2, 1);
    m->mmio_write(&d, 0x14, 1, 1 | 2 | 4 | 8);
    assert_int_equal(m->mmio_read(&d, 0x14, 1), 15);
    /* a read of sectors 2 and 3: header at 0x1000, data at 0x2000, status at 0x3000 */
    struct { uint64_t addr; uint32_t len; uint16_t flags, next; } __attribute__((packed)) desc[3] = {
        {RAM_BASE + 0x1000, 16, 1, 1}, {RAM_BASE + 0x2000, 1024, 1 | 2, 2}, {RAM_BASE + 0x3000, 1, 2, 0}};
    memcpy(ram, desc, sizeof desc);
    uint32_t hdr[4] = {0 /* IN */, 0, 2, 0};
    memcpy(ram + 0x1000, hdr, sizeof hdr);
    ram[0x3000] = 0xff;
    uint16_t avail[4] = {0, 1, 0, 0}; /* flags, idx 1, ring[0] = head 0 */
    memcpy(ram + 0x100, avail, sizeof avail);
    m->mmio_write(&d, 0x3000, 2, 0); /* notify queue 0 (notify_off 0) */
    assert_int_equal(ram[0x3000], 0); /* VIRTIO_BLK_S_OK */
    assert_int_equal(ram[0x2000], 'C');
    assert_int_equal(ram[0x2000 + 1023], 'D');
    uint16_t used_idx;
    memcpy(&used_idx, ram + 0x202, 2);
    assert_int_equal(used_idx, 1);
    uint32_t used_len;
    memcpy(&used_len, ram + 0x208, 4);
    assert_int_equal(used_len, 1025);
    assert_true(F.level[0]);                        /* INTx: ISR bit 0 */
    assert_int_equal(m->mmio_read(&d, 0x1000, 1), 1); /* read to clear */
    assert_false(F.level[0]);
    /* a write of sector 7, then the file has it */
    hdr[0] = 1 /* OUT */, hdr[2] = 7;
    memcpy(ram + 0x1000, hdr, sizeof hdr);
    desc[1].flags = 1; /* the device reads the data */
    desc[1].len = 512;
    memcpy(ram, desc, sizeof desc);
    memset(ram + 0x2000, 'z', 512);
    avail[1] = 2, avail[3] = 0;
    avail[2] = 0;
    memcpy(ram + 0x100, avail, sizeof avail);
    avail[0] = 0;
    m->mmio_write(&d, 0x3000, 2, 0);
    assert_int_equal(ram[0x3000], 0);
    f = fopen(disk, "r");
    fseek(f, 7 * 512 + 100, SEEK_SET);
    assert_int_equal(fgetc(f), 'z');
    fseek(f, 6 * 512 + 100, SEEK_SET);
    assert_int_equal(fgetc(f), 'G');
    fclose(f);
    /* past the end of the disk: an I/O error, nothing written */
    hdr[0] = 0, hdr[2] = 8;
    memcpy(ram + 0x1000, hdr, sizeof hdr);
    desc[1].flags = 1 | 2;
    memcpy(ram, desc, sizeof desc);
    avail[1] = 3;
    memcpy(ram + 0x100, avail, sizeof avail);
    m->mmio_write(&d, 0x3000, 2, 0);
    assert_int_equal(ram[0x3000], 1); /* VIRTIO_BLK_S_IOERR */
    /* a reset (status 0) forgets the queue */
    m->mmio_write(&d, 0x14, 1, 0);
    assert_int_equal(m->mmio_read(&d, 0x1c, 2), 0);
    m->destroy(&d);
    char err[256];
    struct device e = make_device("x86_64_generic", "blk");
    assert_int_equal(e.model->option(&e, "file", "/nonexistent/disk.img", err, sizeof err), -1);
    assert_string_equal(err, "cannot open disk image '/nonexistent/disk.img': No such file or directory");
    e.model->destroy(&e);
}


/* ---- virtio-net on the hub (x86_64_generic) ---- */
/* The queues as sDDF's driver lays them out, in RAM: queue 0 (receive) descriptors at 0x0000,
 * avail 0x100, used 0x200; queue 1 (transmit) at 0x400, 0x500, 0x600; each packet a 10-byte
 * header descriptor chained to a buffer (receive headers at 0x1000, buffers of 2048 at 0x2000;
 * the transmit header at 0x5000, its frame at 0x6000). */
#define NET_HDR 10
static uint16_t rx_avail, tx_avail, rx_used_seen;

static void net_desc(unsigned table, unsigned i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
    uint8_t *p = ram + table + 16 * i;
    memcpy(p, &addr, 8), memcpy(p + 8, &len, 4), memcpy(p + 12, &flags, 2), memcpy(p + 14, &next, 2);
}

static void net_offer(struct device *d, unsigned k)
{
    net_desc(0, 2 * k, RAM_BASE + 0x1000 + 16 * k, NET_HDR, 1 | 2, (uint16_t)(2 * k + 1));
    net_desc(0, 2 * k + 1, RAM_BASE + 0x2000 + 2048 * k, 2048, 2, 0);
    uint16_t head = (uint16_t)(2 * k);
    memcpy(ram + 0x100 + 4 + 2 * (rx_avail % 8), &head, 2);
    rx_avail++;
    memcpy(ram + 0x102, &rx_avail, 2);
    d->model->mmio_write(d, 0x3000, 2, 0); /* notify queue 0 */
}

static void net_setup(struct device *d)
{
    const struct device_model *m = d->model;
    memset(ram, 0, sizeof ram);
    rx_avail = tx_avail = rx_used_seen = 0;
    /* as sDDF's driver does it: each status alone, and feature bit numbers written as masks
     * (5 for VIRTIO_NET_F_MAC, 32 for VIRTIO_F_VERSION_1): bits never offered are dropped */
    m->mmio_write(d, 0x14, 1, 0);
    m->mmio_write(d, 0x14, 1, 1);
    m->mmio_write(d, 0x14, 1, 2);
    m->mmio_write(d, 0x08, 4, 0);
    m->mmio_write(d, 0x0c, 4, 5);
    m->mmio_write(d, 0x08, 4, 1);
    m->mmio_write(d, 0x0c, 4, 32);
    m->mmio_write(d, 0x14, 1, 8);
    assert_int_equal(m->mmio_read(d, 0x14, 1), 8); /* FEATURES_OK kept */
    m->mmio_write(d, 0x08, 4, 0);
    assert_int_equal(m->mmio_read(d, 0x0c, 4), 0); /* bits 0 and 2: not offered */
    m->mmio_write(d, 0x08, 4, 1);
    assert_int_equal(m->mmio_read(d, 0x0c, 4), 0); /* bit 37: not offered */
    static const unsigned base[2] = {0, 0x400};
    for (unsigned q = 0; q < 2; q++) {
        m->mmio_write(d, 0x16, 2, q);
        m->mmio_write(d, 0x18, 2, 8);
        m->mmio_write(d, 0x20, 8, RAM_BASE + base[q]);
        m->mmio_write(d, 0x28, 8, RAM_BASE + base[q] + 0x100);
        m->mmio_write(d, 0x30, 8, RAM_BASE + base[q] + 0x200);
        m->mmio_write(d, 0x1c, 2, 1);
    }
    m->mmio_write(d, 0x14, 1, 4); /* DRIVER_OK */
}

/* The guest sends FRAME. */
static void net_send(struct device *d, const uint8_t *frame, size_t len)
{
    memset(ram + 0x5000, 0, NET_HDR);
    memcpy(ram + 0x6000, frame, len);
    net_desc(0x400, 0, RAM_BASE + 0x5000, NET_HDR, 1, 1);
    net_desc(0x400, 1, RAM_BASE + 0x6000, (uint32_t)len, 0, 0);
    uint16_t head = 0;
    memcpy(ram + 0x500 + 4 + 2 * (tx_avail % 8), &head, 2);
    tx_avail++;
    memcpy(ram + 0x502, &tx_avail, 2);
    d->model->mmio_write(d, 0x3004, 2, 1); /* notify queue 1 (notify_off 1, multiplier 4) */
    uint16_t used;
    memcpy(&used, ram + 0x602, 2);
    assert_int_equal(used, tx_avail); /* taken at once */
}

/* The next frame the guest received, its length into *LEN; NULL when there is none. */
static const uint8_t *net_received(size_t *len)
{
    uint16_t used;
    memcpy(&used, ram + 0x202, 2);
    if (used == rx_used_seen)
        return NULL;
    uint32_t id, total;
    memcpy(&id, ram + 0x200 + 4 + 8 * (rx_used_seen % 8), 4);
    memcpy(&total, ram + 0x200 + 8 + 8 * (rx_used_seen % 8), 4);
    rx_used_seen++;
    assert_true(total > NET_HDR);
    *len = total - NET_HDR;
    return ram + 0x2000 + 2048 * (id / 2);
}

static uint16_t be16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static const uint8_t CLIENT_MAC[6] = {0x52, 0x54, 0x01, 0x00, 0x00, 0x10};

/* A frame from the guest (CLIENT_MAC): Ethernet to DST, type TYPE, then BODY. */
static size_t frame(uint8_t *f, const uint8_t dst[6], uint16_t type, const uint8_t *body, size_t n)
{
    memcpy(f, dst, 6), memcpy(f + 6, CLIENT_MAC, 6);
    f[12] = (uint8_t)(type >> 8), f[13] = (uint8_t)type;
    memcpy(f + 14, body, n);
    return 14 + n;
}

static size_t dhcp_frame(uint8_t *f, uint8_t type, uint32_t requested)
{
    uint8_t b[20 + 8 + 260] = {0};
    b[0] = 0x45, b[8] = 64, b[9] = 17;
    memset(b + 16, 0xff, 4);             /* to 255.255.255.255 */
    uint8_t *u = b + 20, *m = u + 8;
    u[0] = 0, u[1] = 68, u[2] = 0, u[3] = 67;
    m[0] = 1, m[1] = 1, m[2] = 6;
    m[4] = 0xab, m[5] = 0xcd, m[6] = 0, m[7] = 1; /* xid */
    memcpy(m + 28, CLIENT_MAC, 6);
    m[236] = 99, m[237] = 130, m[238] = 83, m[239] = 99;
    uint8_t *o = m + 240;
    *o++ = 53, *o++ = 1, *o++ = type;
    if (requested) {
        *o++ = 50, *o++ = 4;
        for (int k = 3; k >= 0; k--)
            *o++ = (uint8_t)(requested >> (8 * k));
    }
    *o++ = 255;
    size_t ulen = (size_t)(o - u);
    u[4] = (uint8_t)(ulen >> 8), u[5] = (uint8_t)ulen;
    b[2] = (uint8_t)((20 + ulen) >> 8), b[3] = (uint8_t)(20 + ulen);
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    return frame(f, bcast, 0x0800, b, 20 + ulen);
}

/* RFC 1071: a header whose checksum is right sums to 0xffff. */
static bool checksum_ok(const uint8_t *p, size_t n)
{
    uint32_t sum = 0;
    for (size_t k = 0; k < n; k += 2)
        sum += be16(p + k);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return sum == 0xffff;
}

static void arp_frame_body(uint8_t *a, uint32_t sender, uint32_t target)
{
    memset(a, 0, 28);
    a[1] = 1, a[2] = 8, a[4] = 6, a[5] = 4, a[7] = 1; /* Ethernet, IPv4, a request */
    memcpy(a + 8, CLIENT_MAC, 6);
    for (int k = 0; k < 4; k++)
        a[14 + k] = (uint8_t)(sender >> (24 - 8 * k)), a[24 + k] = (uint8_t)(target >> (24 - 8 * k));
}

static void virtio_net_config_space_and_features(void **state)
{
    (void)state;
    struct device net = make_device("x86_64_generic", "net");
    struct device host = make_device("x86_64_generic", "pci");
    pci_fn = &net;
    unsigned bdf = 2 << 3; /* 00:02.0, where sDDF's driver looks */
    assert_int_equal(net.pci_bdf, (int)bdf);
    assert_int_equal(pci_read(&host, bdf, 0, 4), 0x10001af4u); /* transitional virtio-net */
    assert_int_equal(pci_read(&host, bdf, 0x0b, 1), 0x02);     /* network controller */
    assert_int_equal(pci_read(&host, bdf, 0x0a, 1), 0x00);     /* Ethernet */
    assert_int_equal(pci_read(&host, bdf, 0x2e, 2), 1);        /* subsystem: virtio type 1, network */
    assert_int_equal(pci_read(&host, bdf, 0x20, 4), 0xfe000004u);
    const struct device_model *m = net.model;
    m->mmio_write(&net, 0x00, 4, 0);
    assert_int_equal(m->mmio_read(&net, 0x04, 4), 1u << 5); /* VIRTIO_NET_F_MAC */
    m->mmio_write(&net, 0x00, 4, 1);
    assert_int_equal(m->mmio_read(&net, 0x04, 4), 1u); /* VIRTIO_F_VERSION_1 */
    assert_int_equal(m->mmio_read(&net, 0x12, 2), 2);  /* two queues */
    assert_int_equal(m->mmio_read(&net, 0x2000, 1), 0x52); /* the MAC's first byte */
    pci_fn = NULL;
    host.model->destroy(&host);
    m->destroy(&net);
}

static void virtio_net_hub_answers_arp_and_dhcp(void **state)
{
    (void)state;
    struct device d = make_device("x86_64_generic", "net");
    option(&d, "echo", "0");
    net_setup(&d);
    uint8_t f[600], a[28];
    size_t len;
    /* nothing comes before the driver offers buffers; then the OFFER waits for one */
    net_send(&d, f, dhcp_frame(f, 1 /* DISCOVER */, 0));
    assert_null(net_received(&len));
    assert_true(F.level[0]); /* the transmit buffer used: an interrupt */
    assert_int_equal(d.model->mmio_read(&d, 0x1000, 1), 1);
    assert_false(F.level[0]);
    net_offer(&d, 0);
    const uint8_t *r = net_received(&len);
    assert_non_null(r);
    assert_true(F.level[0]); /* used buffers: the INTx line */
    assert_memory_equal(r, "\xff\xff\xff\xff\xff\xff", 6);
    assert_int_equal(be16(r + 12), 0x0800);
    const uint8_t *ip = r + 14, *u = ip + 20, *m = u + 8;
    assert_true(checksum_ok(ip, 20));
    assert_int_equal(be16(u), 67);
    assert_int_equal(be16(u + 2), 68);
    assert_int_equal(m[0], 2);                           /* BOOTREPLY */
    assert_memory_equal(m + 4, "\xab\xcd\x00\x01", 4);   /* the xid */
    assert_memory_equal(m + 16, "\x0a\x00\x02\x0f", 4);  /* yiaddr 10.0.2.15 */
    assert_memory_equal(m + 28, CLIENT_MAC, 6);
    assert_memory_equal(m + 240, "\x35\x01\x02", 3);     /* DHCPOFFER */
    assert_int_equal(d.model->mmio_read(&d, 0x1000, 1), 1); /* ISR, read to clear */
    assert_false(F.level[0]);
    /* REQUEST of another address: NAK; of the offered one: ACK */
    net_offer(&d, 1);
    net_send(&d, f, dhcp_frame(f, 3, 0x0a000263));
    r = net_received(&len);
    assert_non_null(r);
    assert_memory_equal(r + 14 + 28 + 240, "\x35\x01\x06", 3);
    net_offer(&d, 2);
    net_send(&d, f, dhcp_frame(f, 3, 0x0a00020f));
    r = net_received(&len);
    assert_non_null(r);
    assert_memory_equal(r + 14 + 28 + 240, "\x35\x01\x05", 3);
    assert_memory_equal(r + 14 + 28 + 16, "\x0a\x00\x02\x0f", 4);
    /* ARP: the probe of its own address gets no answer; a request for the hub's does */
    net_offer(&d, 3);
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    arp_frame_body(a, 0, 0x0a00020f);
    net_send(&d, f, frame(f, bcast, 0x0806, a, 28));
    assert_null(net_received(&len));
    arp_frame_body(a, 0x0a00020f, 0x0a000202);
    net_send(&d, f, frame(f, bcast, 0x0806, a, 28));
    r = net_received(&len);
    assert_non_null(r);
    assert_int_equal(len, 42);
    assert_memory_equal(r, CLIENT_MAC, 6);
    assert_int_equal(be16(r + 12), 0x0806);
    assert_int_equal(be16(r + 14 + 6), 2);                   /* a reply */
    assert_memory_equal(r + 14 + 8, r + 6, 6);               /* the hub's hardware address */
    assert_memory_equal(r + 14 + 14, "\x0a\x00\x02\x02", 4); /* is 10.0.2.2's */
    assert_memory_equal(r + 14 + 18, CLIENT_MAC, 6);
    d.model->destroy(&d);
}

/* The next frame received, copied into OUT, its buffer offered again; its length, 0 for none. */
static size_t net_take(struct device *d, uint8_t *out)
{
    size_t len;
    const uint8_t *r = net_received(&len);
    if (!r)
        return 0;
    memcpy(out, r, len);
    net_offer(d, (unsigned)((r - (ram + 0x2000)) / 2048));
    return len;
}

/* The guest's echo server: FRAME (the hub's datagram) back to its sender, with its payload's first
 * byte XOR FLIP. */
static void echo_back(struct device *d, const uint8_t *fr, size_t len, uint8_t flip)
{
    uint8_t b[600], f[600];
    const uint8_t *ip = fr + 14, *u = ip + 20;
    size_t ipn = len - 14;
    memcpy(b, ip, ipn);
    memcpy(b + 12, ip + 16, 4), memcpy(b + 16, ip + 12, 4);
    memcpy(b + 20, u + 2, 2), memcpy(b + 22, u, 2);
    b[28] ^= flip;
    net_send(d, f, frame(f, fr + 6, 0x0800, b, ipn));
}

static void virtio_net_hub_echo_client(void **state)
{
    (void)state;
    struct device d = make_device("x86_64_generic", "net");
    char err[256];
    assert_int_equal(d.model->option(&d, "echo", "lots", err, sizeof err), -1);
    assert_string_equal(err, "net (virtio-net): 'echo=lots': not a count (0-100000)");
    option(&d, "echo", "2");
    d.model->start(&d);
    net_setup(&d);
    uint8_t f[600], a[28], r[2048];
    for (unsigned k = 0; k < 4; k++)
        net_offer(&d, k);
    net_send(&d, f, dhcp_frame(f, 1, 0));
    net_send(&d, f, dhcp_frame(f, 3, 0x0a00020f));
    assert_true(net_take(&d, r) && net_take(&d, r)); /* OFFER, ACK */
    assert_int_equal(d.model->next_event(&d), UINT64_MAX); /* leased, the address not used yet */
    assert_false(d.model->busy(&d));
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    F.now = 5000000;
    arp_frame_body(a, 0x0a00020f, 0x0a00020f); /* the announcement (RFC 5227) */
    net_send(&d, f, frame(f, bcast, 0x0806, a, 28));
    uint64_t t = d.model->next_event(&d);
    assert_true(t > F.now && t < F.now + 100000000);
    assert_true(d.model->busy(&d));
    F.now = t;
    d.model->tick(&d, t);
    size_t len = net_take(&d, r);
    assert_true(len > 42);
    assert_memory_equal(r, CLIENT_MAC, 6);
    assert_int_equal(r[14 + 9], 17);
    assert_memory_equal(r + 14 + 16, "\x0a\x00\x02\x0f", 4);
    assert_int_equal(be16(r + 14 + 22), 1235); /* to the echo port */
    uint8_t first[2048];
    memcpy(first, r, len);
    /* no answer: the same datagram again after the resend time */
    t = d.model->next_event(&d);
    assert_true(t > F.now);
    F.now = t;
    d.model->tick(&d, t);
    assert_int_equal(net_take(&d, r), len);
    assert_memory_equal(r + 14 + 28, first + 14 + 28, len - 42);
    /* a wrong echo is no answer; the right one is, and the next datagram (another) goes at once */
    echo_back(&d, r, len, 1);
    assert_int_equal(net_take(&d, f), 0);
    assert_int_equal(d.model->next_event(&d), t + 500000000ull);
    F.now += 300000;
    echo_back(&d, r, len, 0);
    len = net_take(&d, r);
    assert_true(len > 42);
    assert_memory_not_equal(r + 14 + 28, first + 14 + 28, len - 42);
    assert_true(d.model->busy(&d));
    echo_back(&d, r, len, 0);
    assert_false(d.model->busy(&d)); /* both round trips done */
    assert_int_equal(d.model->next_event(&d), UINT64_MAX);
    d.model->destroy(&d);
}

/* Trapped (the default): each access is served as it is made, at the time it is made. */
static void hpet_trapped_access_is_exact(void **state)
{
    (void)state;
    struct device d = make_device("x86_64_generic", "hpet");
    const struct device_model *m = d.model;
    assert_int_equal(m->mmio_read(&d, GCAP_ID + 4, 4), 10000000); /* the period, as a 32-bit read */
    assert_int_equal(m->mmio_read(&d, GCAP_ID, 2) & 0xff, 1);     /* revision */
    m->mmio_write(&d, GEN_CONF, 8, 3); /* running, legacy routing: timer 0 on pin 2 */
    F.now = 1230;
    assert_int_equal(m->mmio_read(&d, MAIN_CNT, 8), 123);
    F.now = 4560;
    assert_int_equal(m->mmio_read(&d, MAIN_CNT, 4), 456); /* no kernel entry needed */
    /* 32-bit halves of a comparator, written one after the other */
    m->mmio_write(&d, T0_CONF, 4, (1u << 2) | (1u << 1)); /* level, enabled */
    m->mmio_write(&d, T0_CMP + 4, 4, 0);
    m->mmio_write(&d, T0_CMP, 4, 500);
    assert_int_equal(m->mmio_read(&d, T0_CMP, 8), 500);
    assert_int_equal(m->next_event(&d), 5000);
    m->tick(&d, 5000);
    assert_true(F.level[0]);
    assert_int_equal(m->mmio_read(&d, GINTR_STA, 8), 1);
    m->mmio_write(&d, GINTR_STA, 8, 0); /* writing 0 changes nothing */
    assert_true(F.level[0]);
    m->mmio_write(&d, GINTR_STA, 4, 1); /* writing 1 clears it, as the specification says */
    assert_false(F.level[0]);
    assert_int_equal(m->mmio_read(&d, GINTR_STA, 8), 0);
    char err[128];
    assert_int_equal(m->option(&d, "access", "dma", err, sizeof err), -1);
    m->destroy(&d);
}

/* Trap-and-emulate, end to end: every access form on the trapped HPET (tests/systems/mmio_forms),
 * each checked by the PD against what the instruction does on memory, and an access that cannot
 * be decoded a VM fault at the register's address. */
static void trapped_registers_serve_every_access_form(void **state)
{
    (void)state;
    struct run_result r;
    run_system(&r, "mmio_forms", "--board", "x86_64_generic", "--timeout", "30", NULL);
    assert_exit(&r, 4); /* quiescent after sse's fault, which nobody handles */
    static const char *const forms[] = {
        "movq store, movq load", "movl load of the upper half", "movw load", "movb load",
        "movb load into %ah", "movl load clears the upper half", "movw load keeps the rest", "movzbl",
        "movsbq", "movslq", "movb and movw immediate stores", "movl store keeps the other half",
        "orl, andq immediate", "addl register", "lock orb", "cmpq, cmpl, testb set the flags",
        "cmpq r,m and m,r compare in their order",
        "subq into a register", "MAIN_CNT counts between two loads in one handler",
    };
    for (size_t k = 0; k < sizeof forms / sizeof *forms; k++) {
        char line[128];
        snprintf(line, sizeof line, "forms: %s: ok\r", forms[k]);
        if (!has_line(r.out, line))
            fail_msg("no line '%s' in:\n%s", line, r.out);
    }
    assert_true(has_line(r.out, "forms: all forms served\r"));
    assert_true(has_line(r.out, "MON|ERROR: faulting PD: sse\r"));
    assert_true(contains(r.out, "MON|ERROR: VMFault: ip="));
    assert_true(contains(r.out, "fault_addr=0x0000000050000000"));
    assert_false(contains(r.out, "sse: not reached"));
    run_result_free(&r);
    /* a confined PD is served the same way (the device runs in the monitor) */
    run_system(&r, "mmio_forms", "--board", "x86_64_generic", "--sandbox", "--timeout", "30", NULL);
    assert_true(has_line(r.out, "forms: all forms served\r"));
    run_result_free(&r);
    /* with --device hpet,access=sync the same loads see what was last stored, not the device */
    run_system(&r, "mmio_forms", "--board", "x86_64_generic", "--device", "hpet,access=sync", "--timeout", "30", NULL);
    assert_true(has_line(r.out, "forms: MAIN_CNT counts between two loads in one handler: WRONG\r"));
    run_result_free(&r);
}

/* ---- boards and options of hostkit run ---- */
static void every_sdk_board_is_a_board_of_hostkit_run(void **state)
{
    (void)state;
    char *text = read_file("mk/sdk/boards.txt", NULL);
    int n = 0;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char name[64], arch[32];
        if (line[0] == '#' || sscanf(line, "%63s %31s", name, arch) != 2)
            continue;
        const struct board *b = board_find(name);
        if (!b)
            fail_msg("board '%s' of mk/sdk/boards.txt is not a board of hostkit run", name);
        assert_string_equal(b->arch, arch);
        n++;
    }
    assert_true(n >= 10);
    free(text);
}

static void unknown_board_and_device_are_usage_errors(void **state)
{
    (void)state;
    struct run_result r;
    run_hostkit(&r, "--board", "pdp11", "examples/timer/timer.system", NULL);
    assert_exit(&r, 2);
    assert_true(contains(r.err, "--board 'pdp11': no such board; the boards are: hostkit"));
    assert_true(contains(r.err, "x86_64_generic"));
    run_result_free(&r);
    run_hostkit(&r, "--device", "com9,input=x", "examples/timer/timer.system", NULL);
    assert_exit(&r, 2);
    assert_true(contains(r.err, "board 'hostkit' has no device 'com9'; it has: vtimer"));
    run_result_free(&r);
    run_hostkit(&r, "--device", "vtimer,speed=2", "examples/timer/timer.system", NULL);
    assert_exit(&r, 2);
    assert_true(contains(r.err, "'speed=2' is not an option of vtimer (vtimer)"));
    run_result_free(&r);
    run_hostkit(&r, "--board", "qemu_virt_aarch64", "--arch", "x86_64", "examples/timer/timer.system", NULL);
    assert_exit(&r, 2);
    assert_true(contains(r.err, "--arch does not match board 'qemu_virt_aarch64' (aarch64)"));
    run_result_free(&r);
}

/* `hostkit run --help` names every device of every board that has more than the vtimer, and says
 * what each model is (the empty virtio-mmio slots as one run per board). */
static void help_names_every_boards_devices(void **state)
{
    (void)state;
    struct run_result r;
    run_hostkit(&r, "--help", NULL);
    assert_exit(&r, 0);
    for (const struct board *b = boards; b->name; b++)
        for (const struct board_device *bd = b->devices; bd->name; bd++) {
            if (bd->model == &device_vtimer)
                continue;
            char word[96];
            snprintf(word, sizeof word, "%s:", b->name);
            if (!contains(r.out, word))
                fail_msg("--help does not list board %s's devices", b->name);
            snprintf(word, sizeof word, " %s%s", bd->name, bd->model == &device_virtio_mmio_slot ? "-" : "");
            if (bd->model != &device_virtio_mmio_slot || bd == b->devices || bd[-1].model != &device_virtio_mmio_slot)
                if (!contains(r.out, word))
                    fail_msg("--help does not name device %s of board %s", bd->name, b->name);
            if (bd->model != &device_virtio_mmio_slot && !contains(r.out, bd->model->summary))
                fail_msg("--help does not say what %s of board %s is ('%s')", bd->name, b->name, bd->model->summary);
        }
    run_result_free(&r);
}

/* TEXT with a CR before each LF, as seL4 writes its debug console (uart_console_putchar). */
static char *crlf(const char *text)
{
    char *out = malloc(2 * strlen(text) + 1), *w = out;
    for (; *text; text++) {
        if (*text == '\n')
            *w++ = '\r';
        *w++ = *text;
    }
    *w = 0;
    return out;
}

/* The example's timer is the board's device: on an AArch64 board it is there as on hostkit's own
 * (and the debug output has the CR LF line ends of seL4's UART console there); with it removed the
 * region is plain memory, nothing fires and the system goes quiet waiting. */
static void vtimer_is_a_board_device(void **state)
{
    (void)state;
    struct run_result r;
    char *expected = read_file("examples/timer/expected.txt", NULL);
    char *on_board = crlf(expected);
    run_hostkit(&r, "--board", "qemu_virt_aarch64", "examples/timer/timer.system", NULL);
    assert_exit(&r, 0);
    assert_text_equal("timer on qemu_virt_aarch64", on_board, r.out);
    free(on_board);
    run_result_free(&r);
    run_hostkit(&r, "--board", "hostkit", "examples/timer/timer.system", NULL);
    assert_exit(&r, 0);
    assert_text_equal("timer on hostkit's board", expected, r.out);
    run_result_free(&r);
    run_hostkit(&r, "--timeout", "5", "--device", "vtimer,off", "examples/timer/timer.system", NULL);
    assert_exit(&r, 0);
    assert_text_equal("timer without its device", "timer: ready\nclient: asked for 30, 10 and 20 ms\n", r.out);
    run_result_free(&r);
    free(expected);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vtimer_fires_once_at_its_deadline),
        cmocka_unit_test(uart_registers_as_the_data_sheet_says),
        cmocka_unit_test(uart_receives_a_file_when_the_driver_listens),
        cmocka_unit_test(uart_script_expects_sends_and_waits),
        cmocka_unit_test(uart_script_errors_name_the_file_and_line),
        cmocka_unit_test(uart_echo_driver_on_x86_64_generic),
        cmocka_unit_test(hpet_counts_and_fires_as_tsc_hpet_programs_it),
        cmocka_unit_test(hpet_level_and_periodic_timers),
        cmocka_unit_test(hpet_trapped_access_is_exact),
        cmocka_unit_test(pl011_registers_as_the_trm_says),
        cmocka_unit_test(pl011_receives_a_file_when_the_driver_listens),
        cmocka_unit_test(uart16550_memory_mapped_on_qemu_virt_riscv64),
        cmocka_unit_test(pl011_echo_driver_on_qemu_virt_aarch64),
        cmocka_unit_test(virtio_mmio_slots_of_qemu_virt_aarch64),
        cmocka_unit_test(virtio_mmio_slots_share_a_page),
        cmocka_unit_test(virtio_blk_in_a_virtio_mmio_slot),
        cmocka_unit_test(virtio_console_transmits_and_receives),
        cmocka_unit_test(pci_config_space_of_the_virtio_blk_function),
        cmocka_unit_test(virtio_blk_reads_and_writes_its_file),
        cmocka_unit_test(virtio_net_config_space_and_features),
        cmocka_unit_test(virtio_net_hub_answers_arp_and_dhcp),
        cmocka_unit_test(virtio_net_hub_echo_client),
        cmocka_unit_test(trapped_registers_serve_every_access_form),
        cmocka_unit_test(every_sdk_board_is_a_board_of_hostkit_run),
        cmocka_unit_test(unknown_board_and_device_are_usage_errors),
        cmocka_unit_test(vtimer_is_a_board_device),
        cmocka_unit_test(help_names_every_boards_devices),
    };
    return cmocka_run_group_tests_name("devices", tests, NULL, NULL);
}
