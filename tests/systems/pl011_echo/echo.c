/* A line echo over a PL011 UART mapped at 0x5000000 (docs/devices.md), as sDDF's arm serial
 * driver programs it: prints "echo: ready" polling UARTFR's TXFF, enables the FIFOs and the UART,
 * unmasks the receive and receive-timeout interrupts, and on each interrupt reads UARTDR while
 * UARTFR's RXFE is clear, printing "echo: LINE (N bytes so far)" at each carriage return. */
#include <microkit.h>
#include <stdint.h>

#define UART ((volatile uint32_t *)0x5000000)
#define DR (0x000 / 4)
#define FR (0x018 / 4)
#define LCR_H (0x02c / 4)
#define CR (0x030 / 4)
#define IMSC (0x038 / 4)
#define MIS (0x040 / 4)
#define ICR (0x044 / 4)
#define FR_TXFF (1u << 5)
#define FR_RXFE (1u << 4)
#define INT_RX (1u << 4)
#define INT_RT (1u << 6)
#define IRQ_CH 1

static void puts_uart(const char *s)
{
    for (; *s; s++) {
        while (UART[FR] & FR_TXFF)
            ;
        UART[DR] = (uint8_t)*s;
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
    UART[LCR_H] |= 3u << 5 | 1u << 4;   /* 8 bits, FIFOs */
    UART[CR] |= 1u << 9 | 1u << 8 | 1u; /* RXE, TXE, UARTEN */
    UART[IMSC] |= INT_RX | INT_RT;
}

void notified(microkit_channel ch)
{
    if (ch != IRQ_CH)
        return;
    if (!(UART[MIS] & (INT_RX | INT_RT)))
        puts_uart("echo: interrupt without received data\r\n");
    while (!(UART[FR] & FR_RXFE)) {
        char c = (char)(UART[DR] & 0xff);
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
    UART[ICR] = INT_RX | INT_RT;
    microkit_irq_ack(IRQ_CH);
}
