/* driver.c (bench devices) — times the device paths of hostkit's x86_64_generic board: a trapped
 * load of the HPET's counter and a trapped store to a comparator ("BENCH mmio_load" and
 * "mmio_store", ns per access), and an I/O port read of COM1's scratch register ("ioport_in"). */
#include "../common/bench_pd.h"

#define HPET 0x50000000ul
static volatile uint64_t *const counter = (volatile uint64_t *)(HPET + 0x0f0);
static volatile uint64_t *const comparator1 = (volatile uint64_t *)(HPET + 0x128);
static uint64_t sink;

static void load(void) { sink += *counter; }
static void store(void) { *comparator1 = ++sink; }
static void port_in(void) { sink += microkit_x86_ioport_read_8(0, 0x3ff); }

void init(void)
{
    *(volatile uint64_t *)(HPET + 0x010) = 1; /* the counter runs */
    uint64_t a = *counter;
    load();
    if (*counter == a)
        bench_error("devices: the HPET's counter did not move between trapped loads");
    bench_measure("mmio_load", load, 100, BENCH_NS_PER_OP);
    bench_measure("mmio_store", store, 100, BENCH_NS_PER_OP);
    bench_measure("ioport_in", port_in, 100, BENCH_NS_PER_OP);
}

void notified(microkit_channel ch) { (void)ch; }
