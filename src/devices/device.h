/* device.h — the device-model interface: what a device of hostkit's boards is, what it claims of
 * the machine, and the one way it reaches the rest of the run (struct device_host).
 *
 * A device runs in the monitor, never inside a PD: a PD reaches it through seL4's calls (x86 I/O
 * ports), through the memory of a region whose phys_addr lies in the device's range (refreshed at
 * the PD's kernel entries, docs/devices.md), and it answers with IRQs. The monitor's wiring
 * (monitor/monitor_devices.c) creates a board's devices, binds their claims to what the system
 * description names, and calls the model; a model never calls the monitor, only its host.
 *
 * One file per model in this folder: vtimer.c (hostkit's virtual timer), uart16550.c (a 16550
 * UART), pl011.c (an Arm PL011 UART), hpet.c (an HPET), pci_host.c (PCI configuration mechanism
 * #1), virtio_blk.c (virtio-blk on a file), virtio_net.c (virtio-net on net_hub.c's user-space
 * network), virtio_console.c (virtio-console); they sit on virtio_pci.c (virtio over PCI) or
 * virtio_mmio.c (virtio-mmio slots, empty ones too), virtio.c being what both share. boards.c
 * lists which devices a board has; serial_input.c feeds a UART; psci.c is QEMU virt's firmware,
 * which a PD's SMC reaches. */
#ifndef HOSTKIT_DEVICE_H
#define HOSTKIT_DEVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct device;

/* An interrupt line of a device, as a system description names it: `<irq irq="N">` (LINE) or
 * `<irq ioapic="A" pin="N">` (IOAPIC, x86). */
enum device_irq_kind { DEVICE_IRQ_LINE = 1, DEVICE_IRQ_IOAPIC };
struct device_irq {
    enum device_irq_kind kind;
    uint64_t number;            /* the IRQ number, or the IOAPIC pin */
    uint64_t ioapic;            /* IOAPIC only */
};

/* What the monitor gives a device: its only way out. CTX is the monitor's. */
struct device_host {
    void *ctx;
    /* Nanoseconds since the system started (the clock every device shares). */
    uint64_t (*now_ns)(void *ctx);
    /* Raises interrupt line LINE (an index into the device's irq[]) once, an edge: the PD that
     * takes it is notified as seL4 signals an IRQ's notification (coalescing while masked). */
    void (*raise_irq)(void *ctx, struct device *d, unsigned line);
    /* Sets the level of interrupt line LINE (a level-triggered device says it after each change):
     * while high, the IRQ is pending again whenever it is not (so an ack with the cause still there
     * delivers it again); going low withdraws a delivery that has not happened yet. */
    void (*set_irq)(void *ctx, struct device *d, unsigned line, bool high);
    /* Bytes the device sends out (a UART's transmitter) into the run's ordered output, after
     * everything the PDs printed before. */
    void (*output)(void *ctx, struct device *d, const char *bytes, size_t n);
    /* DMA: the memory at physical address PADDR, LEN bytes, as the PDs share it (a memory region
     * with that phys_addr), or NULL when no region covers all of it. */
    void *(*dma)(void *ctx, uint64_t paddr, uint64_t len);
    /* PCI configuration space access of the function at BDF (bus << 8 | dev << 3 | func): the
     * host bridge's way to the device there; a read of no function gives all ones. */
    uint32_t (*pci_config)(void *ctx, unsigned bdf, unsigned offset, unsigned bytes, bool write, uint32_t value);
};

#define DEVICE_MAX_IRQS 8
#define DEVICE_NAME_MAX 32

struct device {
    char name[DEVICE_NAME_MAX];        /* the board's name for it: "com1", "hpet", "vtimer" */
    const struct device_model *model;
    const struct device_host *host;
    /* What it claims (the board's values; a model's options may change them before binding). */
    uint64_t port_base, port_count;    /* x86 I/O ports; count 0: none */
    uint64_t mmio_base, mmio_size;     /* physical addresses; size 0: none */
    struct device_irq irq[DEVICE_MAX_IRQS];
    unsigned nirqs;
    /* The memory behind mmio_base, when the system maps a region there (set by the wiring before
     * start; NULL when no region covers it): shared with every PD that maps the region. */
    volatile uint8_t *mmio;
    /* Its memory is trapped: the PDs that map it fault on each access, which the model serves at
     * once (mmio_read, mmio_write); otherwise it is shared memory the model syncs (sync). */
    bool trap;
    int pci_bdf;                       /* a PCI function: bus << 8 | dev << 3 | func; -1 when not */
    void *state;                       /* the model's own */
};

/* A device model. Every callback but create may be NULL (the device has no such side). */
struct device_model {
    const char *name;                  /* "uart16550" */
    const char *summary;               /* one line, for --help and errors */
    /* The options it takes, "KEY=VALUE" forms, for --help (NULL: none). */
    const char *options;
    /* Sets up D's state (D's claims are the board's). Returns -1 with a message in ERR. */
    int (*create)(struct device *d, char *err, size_t errlen);
    /* One option of `hostkit run --device NAME,KEY=VALUE`. Returns -1 with a message in ERR. */
    int (*option)(struct device *d, const char *key, const char *value, char *err, size_t errlen);
    /* The system is built and the clock starts (now_ns is 0): registers get their reset values. */
    void (*start)(struct device *d);
    /* x86 I/O port access at OFFSET from port_base, BYTES 1, 2 or 4 wide. */
    uint32_t (*port_in)(struct device *d, uint64_t offset, unsigned bytes);
    void (*port_out)(struct device *d, uint64_t offset, unsigned bytes, uint32_t value);
    /* A PD that maps the device's memory entered the kernel: the device takes what was written
     * there since, and refreshes what a read sees (a counter, a status). */
    void (*sync)(struct device *d);
    /* A trapped load or store (d->trap) of BYTES (1, 2, 4, 8) at OFFSET from mmio_base. */
    uint64_t (*mmio_read)(struct device *d, uint64_t offset, unsigned bytes);
    void (*mmio_write)(struct device *d, uint64_t offset, unsigned bytes, uint64_t value);
    /* Its PCI configuration space (a PCI function, pci_bdf), BYTES at OFFSET (aligned). */
    uint32_t (*pci_read)(struct device *d, unsigned offset, unsigned bytes);
    void (*pci_write)(struct device *d, unsigned offset, unsigned bytes, uint32_t value);
    /* When the device next wants tick(), in now_ns() time; UINT64_MAX for never. */
    uint64_t (*next_event)(struct device *d);
    /* Time passed (NOW is now_ns()), or its input became readable: raise what is due. */
    void (*tick)(struct device *d, uint64_t now);
    /* A descriptor it reads input from, -1 when it wants none now (the monitor polls it). */
    int (*input_fd)(struct device *d);
    /* It will act later without being touched (an armed deadline, input to come): the run is
     * not quiescent. */
    bool (*busy)(struct device *d);
    /* Bytes of the run's output, as they are printed (an input script waits for them). */
    void (*output_seen)(struct device *d, const char *bytes, size_t n);
    /* Says on stderr what it still waited for, when the run ends (NULL: nothing to say). */
    void (*finish)(struct device *d);
    void (*destroy)(struct device *d);
};

/* The models hostkit has, and one by name (NULL when there is none). */
extern const struct device_model device_vtimer, device_uart16550, device_pl011, device_hpet, device_pci_host,
    device_virtio_blk, device_virtio_net, device_virtio_console, device_virtio_mmio_slot;
const struct device_model *device_model_find(const char *name);

/* ---- boards (boards.c): the devices each board of hostkit's SDK tree has ---- */
struct board_device {
    const char *name;                  /* "com1" */
    const struct device_model *model;
    uint64_t port_base, port_count, mmio_base, mmio_size;
    int pci_bdf;                       /* a PCI function's address, or -1 (not PCI) */
    struct device_irq irq[DEVICE_MAX_IRQS]; /* its lines, in the model's order; ended by kind 0 */
};
/* What a board's firmware did with an SMC: answered it, or powered the board off (the run ends). */
enum firmware_action { FIRMWARE_ANSWERED, FIRMWARE_POWER_OFF };

struct board {
    const char *name;                  /* as Microkit's SDK names it: "x86_64_generic" */
    const char *arch;                  /* "aarch64", "riscv64", "x86_64", or "host" */
    const struct board_device *devices; /* ended by a NULL name */
    /* seL4's debug console is the board's UART: seL4_DebugPutChar writes a CR before each LF
     * (seL4's uart_console_putchar), as a terminal on that port receives it. */
    bool uart_console;
    /* Its RAM as seL4 sees it (normal memory in the platform configuration the Microkit SDK's
     * kernel is built with: platform_gen.json), [ram_base, ram_end); both 0 where hostkit does not
     * have the board's memory map. */
    uint64_t ram_base, ram_end;
    /* Its secure firmware, answering an SMC a PD makes (SMCCC: x0..x7 in, and out in place), or
     * NULL where hostkit has no model of it. It says whether the call powered the board off. */
    enum firmware_action (*smc)(uint64_t x[8]);
};
extern const struct board boards[];    /* ended by a NULL name */
enum firmware_action psci_qemu_virt_smc(uint64_t x[8]); /* psci.c: QEMU virt's PSCI */
const struct board *board_find(const char *name);

/* Helpers for models: a 64-bit register of the device's memory (OFF 8-aligned), read and written
 * in one access, as a PD's 64-bit load or store sees it (the host is little-endian, as the boards). */
static inline uint64_t device_reg64(const struct device *d, uint64_t off)
{
    return __atomic_load_n((const uint64_t *)(uintptr_t)(d->mmio + off), __ATOMIC_RELAXED);
}
static inline void device_set_reg64(struct device *d, uint64_t off, uint64_t v)
{
    __atomic_store_n((uint64_t *)(uintptr_t)(d->mmio + off), v, __ATOMIC_RELAXED);
}

#endif
