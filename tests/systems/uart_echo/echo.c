/* A line echo over a 16550 UART at I/O port 0x3f8 (docs/devices.md): prints "echo: ready", turns
 * on the receive interrupt, and on each interrupt reads every byte waiting (LSR's data-ready bit),
 * printing "echo: LINE (N bytes so far)" at each carriage return, through the UART. */
#include <microkit.h>
#include <stdint.h>

#define COM1 0x3f8
#define THR 0
#define RBR 0
#define IER 1
#define IIR 2
#define LSR 5
#define IRQ_CH 1

static uint8_t in(unsigned reg) { return microkit_x86_ioport_read_8(0, COM1 + reg); }
static void out(unsigned reg, uint8_t v) { microkit_x86_ioport_write_8(0, COM1 + reg, v); }

static void puts_uart(const char *s)
{
    for (; *s; s++) {
        while (!(in(LSR) & 0x20)) /* THR empty */
            ;
        out(THR, (uint8_t)*s);
    }
}

static void put_number(unsigned n)
{
    char buf[12];
    int k = 11;
    buf[k] = 0;
    do
        buf[--k] = (char)('0' + n % 10);
    while (n /= 10);
    puts_uart(buf + k);
}

static char line[128];
static unsigned len, total;

void init(void)
{
    puts_uart("echo: ready\r\n");
    out(IER, 0x01); /* receive interrupt */
}

void notified(microkit_channel ch)
{
    if (ch != IRQ_CH)
        return;
    if ((in(IIR) & 0x0f) != 0x04)
        puts_uart("echo: interrupt without received data\r\n");
    while (in(LSR) & 0x01) {
        char c = (char)in(RBR);
        total++;
        if (c == '\r') {
            line[len] = 0;
            puts_uart("echo: ");
            puts_uart(line);
            puts_uart(" (");
            put_number(total);
            puts_uart(" bytes so far)\r\n");
            len = 0;
        } else if (len < sizeof line - 1) {
            line[len++] = c;
        }
    }
    microkit_irq_ack(IRQ_CH);
}
