/* monitor_devices.c — the monitor's wiring of the device models (devices/device.h): the run's
 * board (--board, else hostkit's own), its devices with their --device options, bound to the
 * system: a device's memory to the region whose phys_addr lies in its range (mapped here too, and
 * every PD that maps it syncs at its kernel entries), its I/O ports to <ioport> accesses, its
 * interrupt lines to the PD <irq> that names them. The monitor calls in here; the devices reach
 * the run only through the host functions at the bottom of this file's state (struct device_host).
 * docs/devices.md describes the devices and the options. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <sel4/sel4.h>

#include "devices/device.h"
#include "monitor/monitor.h"
#include "monitor/monitor_devices.h"

#define MAX_DEVICES 48 /* QEMU virt aarch64: 32 virtio-mmio slots, a UART, the vtimer */
#define MAX_SPECS 32

struct bound_irq {
    int pd;             /* scheduler index, -1 when no PD takes it */
    unsigned id;        /* the PD's channel id for it */
};

static const struct board *board;
static struct device devs[MAX_DEVICES];
static unsigned ndevs;
static struct bound_irq irq_of[MAX_DEVICES][DEVICE_MAX_IRQS];
static uint64_t maps_of[HK_MAX_PDS];   /* bit k: the PD maps device k's memory */
static int region_of[MAX_DEVICES];     /* the memory region bound to device k's memory, or -1 */
static const char *specs[MAX_SPECS];
static unsigned nspecs;
static int input_dev[MAX_DEVICES];     /* device of each polled descriptor (devices_pollfds) */
static bool due;                       /* output was seen that a device may act on */
static bool raised;                    /* a device raised an interrupt for a PD since devices_busy looked */

/* ---- what the devices get: the clock, interrupts, the run's output ---- */
static uint64_t host_now_ns(void *ctx)
{
    (void)ctx;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    int64_t ns = (int64_t)(t.tv_sec - M.start.tv_sec) * 1000000000 + (t.tv_nsec - M.start.tv_nsec);
    return ns > 0 ? (uint64_t)ns : 0;
}

static void host_raise_irq(void *ctx, struct device *d, unsigned line)
{
    (void)ctx;
    unsigned k = (unsigned)(d - devs);
    if (k >= ndevs || line >= d->nirqs || irq_of[k][line].pd < 0)
        return; /* nobody takes this interrupt */
    raised = true;
    monitor_raise_irq(irq_of[k][line].pd, irq_of[k][line].id);
}

static void host_set_irq(void *ctx, struct device *d, unsigned line, bool high)
{
    (void)ctx;
    unsigned k = (unsigned)(d - devs);
    if (k >= ndevs || line >= d->nirqs || irq_of[k][line].pd < 0)
        return;
    raised |= high;
    monitor_irq_level(irq_of[k][line].pd, irq_of[k][line].id, high);
}

static void host_output(void *ctx, struct device *d, const char *bytes, size_t n)
{
    (void)ctx, (void)d;
    monitor_output(bytes, n);
}

/* DMA: the monitor's mapping of the region whose phys_addr range holds [paddr, paddr + len). */
static uint8_t **dma_maps; /* per memory region, mapped when first asked for */

static void *host_dma(void *ctx, uint64_t paddr, uint64_t len)
{
    (void)ctx;
    for (size_t r = 0; r < M.sys.nmrs; r++) {
        const struct sdf_mr *mr = &M.sys.mrs[r];
        if (!mr->has_phys_addr || paddr < mr->phys_addr || paddr - mr->phys_addr > mr->size ||
            len > mr->size - (paddr - mr->phys_addr))
            continue;
        if (!dma_maps)
            dma_maps = calloc(M.sys.nmrs, sizeof *dma_maps);
        if (!dma_maps[r]) {
            void *p = mmap(NULL, mr->size, PROT_READ | PROT_WRITE, MAP_SHARED, M.mr_fds[r], 0);
            if (p == MAP_FAILED)
                return NULL;
            dma_maps[r] = p;
        }
        return dma_maps[r] + (paddr - mr->phys_addr);
    }
    return NULL;
}

/* The PCI function the PDs last addressed through configuration space: where functions' memory
 * shares an address (x86_64_generic's virtio functions), it answers as this one. */
static int last_pci_bdf = -1;

static uint32_t host_pci_config(void *ctx, unsigned bdf, unsigned offset, unsigned bytes, bool write, uint32_t value)
{
    (void)ctx;
    for (unsigned k = 0; k < ndevs; k++) {
        struct device *d = &devs[k];
        if (d->pci_bdf != (int)bdf || !d->model->pci_read)
            continue;
        last_pci_bdf = (int)bdf;
        if (write) {
            if (d->model->pci_write)
                d->model->pci_write(d, offset, bytes, value);
            return 0;
        }
        return d->model->pci_read(d, offset, bytes);
    }
    return bytes == 4 ? ~0u : (1u << (8 * bytes)) - 1; /* no function there: a master abort */
}

static const struct device_host host = {NULL,        host_now_ns, host_raise_irq, host_set_irq, host_output,
                                        host_dma,    host_pci_config};

/* ---- configuration ---- */
int devices_set_board(const char *name)
{
    board = board_find(name);
    if (board)
        return 0;
    fprintf(stderr, "hostkit: --board '%s': no such board; the boards are:", name);
    for (const struct board *b = boards; b->name; b++)
        fprintf(stderr, " %s", b->name);
    fputc('\n', stderr);
    return -1;
}

bool devices_board_ram(uint64_t *base, uint64_t *end)
{
    *base = board->ram_base;
    *end = board->ram_end;
    return board->ram_end > board->ram_base;
}

int devices_add_option(const char *spec)
{
    if (nspecs == MAX_SPECS) {
        fprintf(stderr, "hostkit: too many --device options\n");
        return -1;
    }
    specs[nspecs++] = spec;
    return 0;
}

void devices_usage(FILE *f)
{
    fputs("  --board BOARD       give the system BOARD's devices (a Microkit board name; default\n"
          "                      hostkit) and check it for BOARD's architecture unless --arch says:",
          f);
    int col = 80;
    for (const struct board *b = boards; b->name; b++) {
        if (col + 1 + (int)strlen(b->name) > 96) {
            fputs("\n                     ", f);
            col = 21;
        }
        col += fprintf(f, " %s", b->name);
    }
    fputs("\n  --device NAME,KEY=VALUE,...  configure the board's device NAME, or remove it with\n"
          "                      NAME,off (docs/devices.md). Every board has vtimer; the others:\n",
          f);
    for (const struct board *b = boards; b->name; b++) {
        if (!b->devices[0].name || (b->devices[0].model == &device_vtimer && !b->devices[1].name))
            continue;
        fprintf(f, "                        %s:", b->name);
        for (const struct board_device *bd = b->devices; bd->name; bd++) {
            if (bd->model == &device_vtimer)
                continue;
            if (bd->model != &device_virtio_mmio_slot) {
                fprintf(f, " %s", bd->name);
                continue;
            }
            const struct board_device *last = bd; /* a run of empty slots, in one word */
            while (last[1].name && last[1].model == &device_virtio_mmio_slot)
                last++;
            fprintf(f, " %s-%s (empty virtio-mmio slots)", bd->name, last->name);
            bd = last;
        }
        fputc('\n', f);
    }
    /* each model once, by the name a board first gives it */
    const struct device_model *shown[64];
    unsigned nshown = 0;
    for (const struct board *b = boards; b->name; b++)
        for (const struct board_device *bd = b->devices; bd->name; bd++) {
            bool seen = bd->model == &device_vtimer || bd->model == &device_virtio_mmio_slot;
            for (unsigned k = 0; k < nshown && !seen; k++)
                seen = shown[k] == bd->model;
            if (seen || nshown == sizeof shown / sizeof *shown)
                continue;
            shown[nshown++] = bd->model;
            fprintf(f, "                        %-7s %s%s%s\n", bd->name, bd->model->summary,
                    bd->model->options ? "; " : "", bd->model->options ? bd->model->options : "");
        }
}

static struct device *device_named(const char *name, size_t len)
{
    for (unsigned k = 0; k < ndevs; k++)
        if (strlen(devs[k].name) == len && !strncmp(devs[k].name, name, len))
            return &devs[k];
    return NULL;
}

/* One --device NAME,KEY=VALUE,... */
static int apply_spec(const char *spec)
{
    size_t len = strcspn(spec, ",");
    struct device *d = device_named(spec, len);
    if (!d) {
        fprintf(stderr, "hostkit: --device '%s': board '%s' has no device '%.*s'; it has:", spec, board->name,
                (int)len, spec);
        for (unsigned k = 0; k < ndevs; k++)
            fprintf(stderr, " %s", devs[k].name);
        fputc('\n', stderr);
        return -1;
    }
    char *copy = strdup(spec + len);
    int rc = 0;
    for (char *save = NULL, *kv = strtok_r(copy, ",", &save); kv && rc == 0; kv = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(kv, '=');
        if (!strcmp(kv, "off")) {
            d->model->destroy ? d->model->destroy(d) : (void)0;
            unsigned k = (unsigned)(d - devs);
            memmove(&devs[k], &devs[k + 1], (ndevs - k - 1) * sizeof *devs);
            ndevs--;
            break;
        }
        char err[256] = "";
        if (!eq || !d->model->option) {
            fprintf(stderr, "hostkit: --device '%s': '%s' is not an option of %s (%s)%s%s\n", spec, kv, d->name,
                    d->model->name, d->model->options ? "; it takes " : "; it takes none",
                    d->model->options ? d->model->options : "");
            rc = -1;
        } else {
            *eq = 0;
            if (d->model->option(d, kv, eq + 1, err, sizeof err) < 0) {
                fprintf(stderr, "hostkit: --device '%s': %s\n", spec, err);
                rc = -1;
            }
        }
    }
    free(copy);
    return rc;
}

int devices_configure(enum sdf_arch *arch, bool arch_given)
{
    if (!board) {
        board = board_find("hostkit");
    } else if (strcmp(board->arch, "host")) { /* hostkit's own board takes any --arch */
        enum sdf_arch board_arch;
        int ok = sdf_parse_arch(board->arch, &board_arch);
        if (ok == 0 && arch_given && board_arch != *arch) {
            fprintf(stderr, "hostkit: --arch does not match board '%s' (%s)\n", board->name, board->arch);
            return -1;
        }
        if (ok == 0)
            *arch = board_arch;
    }
    for (const struct board_device *bd = board->devices; bd->name; bd++) {
        struct device *d = &devs[ndevs++];
        memset(d, 0, sizeof *d);
        snprintf(d->name, sizeof d->name, "%s", bd->name);
        d->model = bd->model;
        d->host = &host;
        d->port_base = bd->port_base;
        d->port_count = bd->port_count;
        d->mmio_base = bd->mmio_base;
        d->mmio_size = bd->mmio_size;
        d->pci_bdf = bd->pci_bdf;
        while (d->nirqs < DEVICE_MAX_IRQS && bd->irq[d->nirqs].kind) {
            d->irq[d->nirqs] = bd->irq[d->nirqs];
            d->nirqs++;
        }
        char err[256] = "";
        if (d->model->create(d, err, sizeof err) < 0) {
            fprintf(stderr, "hostkit: device %s (%s): %s\n", d->name, d->model->name, err);
            return -1;
        }
    }
    /* the control channel on standard input (--irq-stdin, --control -): a UART's input is then
     * none, unless said otherwise */
    for (unsigned k = 0; k < ndevs && M.control_on_stdin; k++)
        if (devs[k].model->options && strstr(devs[k].model->options, "input=") && devs[k].model->option) {
            char err[64];
            devs[k].model->option(&devs[k], "input", "none", err, sizeof err);
        }
    for (unsigned s = 0; s < nspecs; s++)
        if (apply_spec(specs[s]) < 0)
            return -1;
    if (board->uart_console)
        output_uart_console();
    return 0;
}

/* ---- binding to the system ---- */
static int bind_memory(unsigned k)
{
    struct device *d = &devs[k];
    if (!d->mmio_size)
        return 0;
    for (size_t r = 0; r < M.sys.nmrs; r++) {
        const struct sdf_mr *mr = &M.sys.mrs[r];
        if (!mr->has_phys_addr || mr->phys_addr >= d->mmio_base + d->mmio_size ||
            mr->phys_addr + mr->size <= d->mmio_base)
            continue;
        if (mr->phys_addr > d->mmio_base || d->mmio) {
            fprintf(stderr, "Error: memory region '%s' (phys_addr 0x%llx, size 0x%llx) covers only part of device "
                            "%s at 0x%llx-0x%llx, or another region covers it too; map the device with one region "
                            "starting at or before 0x%llx\n",
                    mr->name, (unsigned long long)mr->phys_addr, (unsigned long long)mr->size, d->name,
                    (unsigned long long)d->mmio_base, (unsigned long long)(d->mmio_base + d->mmio_size - 1),
                    (unsigned long long)d->mmio_base);
            return -1;
        }
        uint8_t *p = mmap(NULL, mr->size, PROT_READ | PROT_WRITE, MAP_SHARED, M.mr_fds[r], 0);
        if (p == MAP_FAILED)
            die("cannot map memory region '%s' for device %s: %s", mr->name, d->name, strerror(errno));
        uint64_t end = mr->phys_addr + mr->size;
        if (end < d->mmio_base + d->mmio_size)
            d->mmio_size = end - d->mmio_base; /* the registers the region shows */
        d->mmio = p + (d->mmio_base - mr->phys_addr);
        region_of[k] = (int)r;
        for (unsigned i = 0; i < M.npds; i++) {
            const struct sdf_pd *sp = &M.sys.pds[M.pd[i].sdf];
            for (size_t m = 0; m < sp->nmaps; m++)
                if (sp->maps[m].mr == (int)r) {
                    maps_of[i] |= 1ull << k;
                    if (d->trap && m < HK_MAX_MAPS)
                        M.pd[i].cfg->maps[m].trap = 1;
                    else if (d->model->sync)
                        M.pd[i].cfg->device_sync = 1;
                }
        }
    }
    return 0;
}

static void bind_irqs(unsigned k)
{
    struct device *d = &devs[k];
    for (unsigned l = 0; l < d->nirqs; l++) {
        irq_of[k][l].pd = -1;
        const struct device_irq *di = &d->irq[l];
        for (unsigned i = 0; i < M.npds && irq_of[k][l].pd < 0; i++) {
            const struct sdf_pd *sp = &M.sys.pds[M.pd[i].sdf];
            for (size_t q = 0; q < sp->nirqs; q++) {
                const struct sdf_irq *irq = &sp->irqs[q];
                bool match = di->kind == DEVICE_IRQ_LINE
                                 ? irq->kind == SDF_IRQ_CONVENTIONAL && irq->irq == di->number
                                 : irq->kind == SDF_IRQ_IOAPIC && irq->ioapic == di->ioapic && irq->pin == di->number;
                if (match) {
                    irq_of[k][l] = (struct bound_irq){(int)i, irq->id};
                    break;
                }
            }
        }
    }
}

int devices_bind(void)
{
    for (unsigned k = 0; k < ndevs; k++) {
        region_of[k] = -1;
        if (devs[k].trap && !devs[k].model->mmio_read)
            devs[k].trap = false;
        if (bind_memory(k) < 0)
            return -1;
        bind_irqs(k);
    }
    return 0;
}

void devices_start(void)
{
    for (unsigned k = 0; k < ndevs; k++)
        if (devs[k].model->start)
            devs[k].model->start(&devs[k]);
}

/* ---- the PDs reach the devices ---- */
void devices_ioport(unsigned i, uint64_t port, unsigned bytes, bool out, uint64_t *value)
{
    uint64_t data = *value;
    for (unsigned k = 0; k < ndevs; k++) {
        struct device *d = &devs[k];
        if (!d->port_count || port < d->port_base || port + bytes > d->port_base + d->port_count)
            continue;
        if (out) {
            if (d->model->port_out)
                d->model->port_out(d, port - d->port_base, bytes, (uint32_t)data);
        } else {
            *value = d->model->port_in ? d->model->port_in(d, port - d->port_base, bytes)
                                       : (bytes == 4 ? 0xffffffffu : (1u << (8 * bytes)) - 1);
        }
        if (M.log)
            fprintf(stderr, "hostkit: %s %s%u port 0x%llx %s 0x%llx (%s)\n", pd_name((int)i), out ? "out" : "in",
                    8 * bytes, (unsigned long long)port, out ? "<-" : "->",
                    (unsigned long long)(out ? data : *value), d->name);
        return;
    }
    /* no device: a read gives all ones (an empty bus), a write goes nowhere */
    *value = out ? 0 : (bytes == 4 ? 0xffffffffu : (1u << (8 * bytes)) - 1);
    if (M.log)
        fprintf(stderr, "hostkit: %s %s%u port 0x%llx %s 0x%llx (no device)\n", pd_name((int)i), out ? "out" : "in",
                8 * bytes, (unsigned long long)port, out ? "<-" : "->", (unsigned long long)(out ? data : *value));
}

void devices_sync(unsigned i)
{
    for (unsigned k = 0; k < ndevs; k++)
        if ((maps_of[i] >> k & 1) && devs[k].model->sync)
            devs[k].model->sync(&devs[k]);
}

int32_t devices_smc(uint64_t x[8], bool *power_off)
{
    *power_off = false;
    if (!board->smc)
        return HK_NO_MODEL;
    *power_off = board->smc(x) == FIRMWARE_POWER_OFF;
    return seL4_NoError;
}

int32_t devices_mmio(unsigned i, uint32_t map, uint64_t arg, uint64_t *value)
{
    const struct sdf_pd *sp = &M.sys.pds[M.pd[i].sdf];
    uint64_t offset = arg & ((1ull << 56) - 1);
    unsigned bytes = (unsigned)(arg >> 56 & 0x7f);
    bool write = arg >> 63;
    if (map >= sp->nmaps || (bytes != 1 && bytes != 2 && bytes != 4 && bytes != 8))
        return seL4_InvalidArgument;
    int r = sp->maps[map].mr;
    /* the trapped device whose registers the access falls in (one region may show several, as
     * QEMU virt's virtio-mmio slots share a page); of PCI functions sharing an address, the one
     * addressed last */
    uint64_t at = M.sys.mrs[r].phys_addr + offset; /* the physical address accessed */
    unsigned first = ndevs, chosen = ndevs;
    bool trapped = false;
    for (unsigned k = 0; k < ndevs; k++)
        if (region_of[k] == r && devs[k].trap) {
            trapped = true;
            if (at < devs[k].mmio_base || at + bytes > devs[k].mmio_base + devs[k].mmio_size)
                continue;
            first = first < ndevs ? first : k;
            if (devs[k].pci_bdf >= 0 && devs[k].pci_bdf == last_pci_bdf)
                chosen = k;
        }
    if (chosen == ndevs)
        chosen = first;
    if (trapped && chosen == ndevs) {
        *value = write ? 0 : ~0ull; /* beyond the devices' registers: nothing answers */
        return seL4_NoError;
    }
    if (chosen < ndevs) {
        struct device *d = &devs[chosen];
        if (write) {
            if (d->model->mmio_write)
                d->model->mmio_write(d, at - d->mmio_base, bytes, *value);
        } else {
            *value = d->model->mmio_read(d, at - d->mmio_base, bytes);
        }
        if (M.log)
            fprintf(stderr, "hostkit: %s %s%u 0x%llx %s 0x%llx (%s)\n", pd_name((int)i), write ? "store" : "load",
                    8 * bytes, (unsigned long long)at, write ? "<-" : "->", (unsigned long long)*value, d->name);
        return seL4_NoError;
    }
    return seL4_InvalidArgument;
}

/* ---- time, input, output ---- */
uint64_t devices_tick(uint64_t now)
{
    uint64_t next = UINT64_MAX;
    for (unsigned k = 0; k < ndevs; k++) {
        struct device *d = &devs[k];
        if (!d->model->next_event)
            continue;
        if (d->model->next_event(d) <= now && d->model->tick)
            d->model->tick(d, now);
        uint64_t t = d->model->next_event(d);
        if (t < next)
            next = t;
    }
    return next;
}

/* A device will act later (devices_busy's callbacks), or it has just interrupted a PD that now
 * runs: the monitor's quiescence check ticks the devices (fire_irqs) after it found every CPU idle,
 * and an interrupt raised then (input a script typed on seeing the last output) woke a PD it did
 * not see. */
bool devices_busy(void)
{
    if (raised) {
        raised = false;
        for (unsigned c = 0; c < M.ncpus; c++)
            if (hk_current(M.sched, c) != -1 || atomic_load(&M.sched->cpu[c].runnable))
                return true;
    }
    for (unsigned k = 0; k < ndevs; k++)
        if (devs[k].model->busy && devs[k].model->busy(&devs[k]))
            return true;
    return false;
}

unsigned devices_pollfds(struct pollfd *p, unsigned max)
{
    unsigned n = 0;
    for (unsigned k = 0; k < ndevs && n < max; k++) {
        int fd = devs[k].model->input_fd ? devs[k].model->input_fd(&devs[k]) : -1;
        if (fd < 0)
            continue;
        p[n] = (struct pollfd){fd, POLLIN, 0};
        input_dev[n++] = (int)k;
    }
    return n;
}

void devices_polled(const struct pollfd *p, unsigned n)
{
    for (unsigned j = 0; j < n; j++)
        if (p[j].revents) {
            struct device *d = &devs[input_dev[j]];
            if (d->model->tick)
                d->model->tick(d, host_now_ns(NULL));
        }
}

void devices_output_seen(const char *bytes, size_t n)
{
    for (unsigned k = 0; k < ndevs; k++)
        if (devs[k].model->output_seen) {
            devs[k].model->output_seen(&devs[k], bytes, n);
            due = true;
        }
}

bool devices_due(void)
{
    bool was = due;
    due = false;
    return was;
}

void devices_finish(void)
{
    for (unsigned k = 0; k < ndevs; k++)
        if (devs[k].model->finish)
            devs[k].model->finish(&devs[k]);
}
