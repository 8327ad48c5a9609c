/* monitor_boot.c — builds the system for a run: PD order, the kernel objects (kobj.h) in memfds,
 * memory regions, setvars and children, and starts each PD as a process holding only its own
 * objects (confined by monitor_confine.c).
 *
 * Every memfd is sealed against shrinking and growing once it has its size: a PD holding one
 * cannot truncate it and so make every other holder, the monitor included, fault on it. A PD's
 * configuration is sealed against writable mappings too, before the PD exists: only the
 * monitor's mapping, made before the seal, can write it. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/futex.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "monitor/elf_sym.h"
#include "kernel/kobj.h"
#include "sdf/sdf.h"
#include "monitor/trace.h"

#include "monitor/monitor.h"
#include "monitor/monitor_devices.h"

static int make_memfd(const char *name, size_t size)
{
    int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0 || ftruncate(fd, (off_t)size) < 0 || fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW) < 0)
        die("cannot create shared memory '%s': %s", name, strerror(errno));
    return fd;
}

static void *map_shared(int fd, size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        die("cannot map shared memory: %s", strerror(errno));
    return p;
}

/* A read-only descriptor of memfd FD (re-opened through /proc/self/fd, O_RDONLY): its holder can
 * map it for reading only, and cannot mprotect such a mapping writable. */
static int read_only_view(int fd, const char *what)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    int ro = open(path, O_RDONLY | O_CLOEXEC);
    if (ro < 0)
        die("cannot open a read-only view of %s: %s", what, strerror(errno));
    return ro;
}

/* Scheduler indices: PDs sorted by priority, highest first, system order among equals. */
void order_pds(void)
{
    M.npds = (unsigned)M.sys.npds;
    unsigned n = 0;
    for (int prio = 255; prio >= 0; prio--)
        for (size_t p = 0; p < M.sys.npds; p++)
            if (M.sys.pds[p].priority == prio) {
                M.pd[n].sdf = (int)p;
                M.idx_of[p] = (int)n++;
            }
}

void build_objects(bool smp)
{
    M.sched_fd = make_memfd("hostkit-sched", sizeof *M.sched);
    M.sched = map_shared(M.sched_fd, sizeof *M.sched);
    struct hk_sched *s = M.sched;
    s->magic = HK_MAGIC;
    s->npds = M.npds;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    s->spin_limit = cores > 1 ? (uint32_t)cores - 1 : 0;
    M.ncpus = 1;
    for (unsigned c = 0; c < HK_MAX_CPUS; c++)
        atomic_store(&s->cpu[c].hand, hk_hand(HK_IDLE, HK_IDLE, 0));

    for (unsigned i = 0; i < M.npds; i++) {
        const struct sdf_pd *sp = &M.sys.pds[M.pd[i].sdf];
        struct pd_proc *pp = &M.pd[i];
        char name[96];
        snprintf(name, sizeof name, "hostkit-cfg-%s", sp->name);
        pp->cfg_fd = make_memfd(name, sizeof *pp->cfg);
        pp->cfg = map_shared(pp->cfg_fd, sizeof *pp->cfg);
        /* from here on nobody else can map it writable, the PD included */
        if (fcntl(pp->cfg_fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE | F_SEAL_SEAL) < 0)
            die("cannot seal the configuration of PD '%s': %s", sp->name, strerror(errno));
        snprintf(name, sizeof name, "hostkit-ctl-%s", sp->name);
        pp->ctl_fd = make_memfd(name, sizeof *pp->ctl);
        pp->ctl = map_shared(pp->ctl_fd, sizeof *pp->ctl);
        pp->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (pp->event_fd < 0)
            die("cannot create an event fd: %s", strerror(errno));
        struct hk_cfg *cfg = pp->cfg;
        cfg->magic = HK_MAGIC;
        cfg->layout = HK_LAYOUT;
        cfg->self = (int32_t)i;
        cfg->npds = (int32_t)M.npds;
        snprintf(cfg->name, sizeof cfg->name, "%s", sp->name);
        cfg->passive = sp->passive;
        cfg->budget_ns = sp->budget * 1000u;
        cfg->smp = smp;
        for (int c = 0; c < HK_NCH; c++) {
            pp->chan[c] = (struct pd_chan){-1, -1, -1, NULL, NULL};
            cfg->ch[c].fd_out = cfg->ch[c].fd_in = cfg->ch[c].fd_call = -1;
        }
        uint32_t cpu = smp ? sp->cpu : 0;
        if (cpu + 1 > M.ncpus)
            M.ncpus = cpu + 1;
        M.cpu_of[i] = cpu;
        M.prio[i] = sp->priority;
        atomic_store(&s->pd[i].call_to, -1);
        for (size_t q = 0; q < sp->nirqs; q++) {
            cfg->irqs |= 1ull << sp->irqs[q].id;
            cfg->ch[sp->irqs[q].id].kind = HK_CH_IRQ;
        }
    }
    for (unsigned i = 0; i < M.npds; i++) {
        memcpy(M.pd[i].cfg->prio, M.prio, sizeof M.prio);
        for (unsigned j = 0; j < M.npds; j++) {
            M.pd[i].cfg->cpu_of[j] = M.cpu_of[j];
            snprintf(M.pd[i].cfg->pd_names[j], sizeof M.pd[i].cfg->pd_names[j], "%s", M.sys.pds[M.pd[j].sdf].name);
        }
    }
    /* Each channel: a call slot when an end may call, and a signal page for each end that may
     * notify, written by that end only (the other gets a read-only descriptor). */
    for (size_t k = 0; k < M.sys.nchannels; k++) {
        const struct sdf_channel *sc = &M.sys.channels[k];
        char name[160];
        int call_fd = -1;
        const struct hk_call *call = NULL;
        if (sc->end[0].pp || sc->end[1].pp) {
            snprintf(name, sizeof name, "hostkit-call-%zu", k);
            call_fd = make_memfd(name, sizeof(struct hk_call));
            call = map_shared(call_fd, sizeof(struct hk_call));
        }
        for (int e = 0; e < 2; e++) {
            const struct sdf_end *me = &sc->end[e], *peer = &sc->end[e ^ 1];
            struct pd_proc *pp = &M.pd[M.idx_of[me->pd]];
            struct hk_ch_cfg *cfg = &pp->cfg->ch[me->id];
            cfg->kind = HK_CH_CHANNEL;
            cfg->notify_out = me->notify;
            cfg->notify_in = peer->notify;
            cfg->pp_out = me->pp;
            cfg->pp_in = peer->pp;
            cfg->peer = M.idx_of[peer->pd];
            cfg->peer_ch = peer->id;
            if (me->notify)
                pp->cfg->notifications |= 1ull << me->id;
            if (me->pp)
                pp->cfg->pps |= 1ull << me->id;
            pp->chan[me->id].call_fd = call_fd;
            pp->chan[me->id].call = call;
            if (!me->notify)
                continue;
            snprintf(name, sizeof name, "hostkit-signal-%zu-%s", k, M.sys.pds[me->pd].name);
            int fd = make_memfd(name, sizeof(struct hk_signal));
            struct pd_chan *in = &M.pd[M.idx_of[peer->pd]].chan[peer->id];
            pp->chan[me->id].out_fd = fd;
            in->in_fd = read_only_view(fd, name);
            in->in = map_shared(fd, sizeof(struct hk_signal));
        }
    }
}

/* The host's TSC frequency in MHz, measured against CLOCK_MONOTONIC over 20 ms (x86-64), or 0. */
static uint32_t tsc_mhz(void)
{
#if defined(__x86_64__)
    struct timespec t0, t1, pause = {0, 20000000};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    uint64_t c0 = __builtin_ia32_rdtsc();
    nanosleep(&pause, NULL);
    uint64_t c1 = __builtin_ia32_rdtsc();
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
    return ns > 0 ? (uint32_t)((double)(c1 - c0) * 1e3 / ns + 0.5) : 0;
#else
    return 0;
#endif
}

/* prefill_bootinfo: the chunk of extra boot information seL4 passes on (a seL4_BootInfoHeader,
 * then the blob). hostkit has only the x86 TSC frequency, which seL4 x86-64 measures at boot; for
 * the others the header says length 0 (nothing found). */
static void prefill_bootinfo(int fd, const struct sdf_mr *mr)
{
    struct {
        uint64_t id, len;
        uint32_t value;
    } __attribute__((packed)) chunk = {0, 0, 0};
    size_t n = 16;
    if (mr->prefill_bootinfo == SDF_BOOTINFO_X86_TSC_FREQ) {
        chunk.id = 5; /* SEL4_BOOTINFO_HEADER_X86_TSC_FREQ */
        chunk.len = 16 + 4;
        chunk.value = tsc_mhz();
        n = 20;
    }
    if (mr->size >= n && pwrite(fd, &chunk, n, 0) != (ssize_t)n)
        die("cannot prefill memory region '%s': %s", mr->name, strerror(errno));
}

/* Memory regions: one memfd each, prefilled from its file or with boot information. */
void build_regions(void)
{
    M.mr_fds = calloc(M.sys.nmrs ? M.sys.nmrs : 1, sizeof *M.mr_fds);
    for (size_t r = 0; r < M.sys.nmrs; r++) {
        const struct sdf_mr *mr = &M.sys.mrs[r];
        char name[96];
        snprintf(name, sizeof name, "hostkit-mr-%s", mr->name);
        M.mr_fds[r] = make_memfd(name, mr->size);
        if (mr->prefill_resolved) {
            FILE *f = fopen(mr->prefill_resolved, "rb");
            if (!f)
                die("cannot read prefill file '%s': %s", mr->prefill_resolved, strerror(errno));
            char buf[65536];
            size_t n;
            off_t off = 0;
            while ((n = fread(buf, 1, sizeof buf, f)) > 0 && (uint64_t)off < mr->size) {
                if (pwrite(M.mr_fds[r], buf, n, off) != (ssize_t)n)
                    die("cannot prefill memory region '%s': %s", mr->name, strerror(errno));
                off += (off_t)n;
            }
            fclose(f);
        }
        if (mr->prefill_bootinfo)
            prefill_bootinfo(M.mr_fds[r], mr);
    }
}

/* The first address from PA, aligned to ALIGN, where SIZE bytes meet no region with a phys_addr. */
static uint64_t clear_of_fixed_regions(uint64_t pa, uint64_t size, uint64_t align)
{
    for (bool moved = true; moved;) {
        moved = false;
        pa = (pa + align - 1) & ~(align - 1);
        for (size_t k = 0; k < M.sys.nmrs; k++) {
            const struct sdf_mr *f = &M.sys.mrs[k];
            uint64_t f_end;
            if (__builtin_add_overflow(f->phys_addr, f->size, &f_end))
                f_end = UINT64_MAX;
            if (f->has_phys_addr && pa < f_end && f->phys_addr < pa + size) {
                pa = f_end;
                moved = true;
            }
        }
    }
    return pa;
}

/* The physical address setvar region_paddr gives: the region's own, or for a region the Microkit
 * tool would allocate, a stand-in (docs/semantics.md: on seL4 the tool's allocator picks it, from
 * what it lays out before, and hostkit cannot know it). The stand-ins are in the board's RAM as
 * seL4 describes it, from its base up (from 0x40000000 on a board whose memory map hostkit lacks),
 * in region order, each aligned to its page size, as a large page must be, and clear of every
 * region with a phys_addr. */
static uint64_t region_paddr(int r)
{
    const struct sdf_mr *mr = &M.sys.mrs[r];
    if (mr->has_phys_addr)
        return mr->phys_addr;
    uint64_t pa, ram_end;
    bool have_ram = devices_board_ram(&pa, &ram_end);
    if (!have_ram)
        pa = 0x40000000ull;
    for (int k = 0;; k++) {
        const struct sdf_mr *m = &M.sys.mrs[k];
        if (m->has_phys_addr)
            continue;
        pa = clear_of_fixed_regions(pa, m->size, m->page_size);
        if (have_ram && (pa >= ram_end || m->size > ram_end - pa))
            die("memory region '%s' (0x%llx bytes) does not fit in the board's RAM after the regions before it, "
                "as the Microkit tool would place it for setvar region_paddr",
                m->name, (unsigned long long)m->size);
        if (k == r)
            return pa;
        pa += m->size;
    }
}

static int add_setvar(unsigned i, const char *symbol, uint64_t value)
{
    const struct sdf_pd *sp = &M.sys.pds[M.pd[i].sdf];
    struct hk_cfg *cfg = M.pd[i].cfg;
    uint64_t addr, size;
    bool writable;
    if (elf_find_symbol(sp->image_resolved, symbol, &addr, &size, &writable) < 0) {
        fprintf(stderr, "Error: setvar: symbol '%s' not found in program image '%s' of protection domain '%s'\n",
                symbol, sp->program_image, sp->name);
        return -1;
    }
    if (cfg->nsetvars == HK_MAX_SETVARS) {
        fprintf(stderr, "Error: protection domain '%s' has more than %d setvars\n", sp->name, HK_MAX_SETVARS);
        return -1;
    }
    /* As the Microkit tool, write the value into the whole symbol; it must fit. */
    uint32_t bytes = size && size < 8 ? (uint32_t)size : 8;
    if (bytes < 8 && (value >> (8 * bytes)) != 0) {
        fprintf(stderr, "Error: setvar: value 0x%llx does not fit symbol '%s' (%u bytes) in program image "
                        "'%s' of protection domain '%s'\n",
                (unsigned long long)value, symbol, bytes, sp->program_image, sp->name);
        return -1;
    }
    struct hk_setvar_cfg *v = &cfg->setvars[cfg->nsetvars++];
    v->addr = addr;
    v->value = value;
    v->size = bytes;
    v->readonly = !writable;
    return 0;
}

/* What the Microkit tool patches into every image for libmicrokit: its name, its channel masks,
 * whether it is passive. An image without these symbols (not linked with libmicrokit) goes
 * without. */
static void add_libmicrokit_vars(unsigned i)
{
    const struct sdf_pd *sp = &M.sys.pds[M.pd[i].sdf];
    struct hk_cfg *cfg = M.pd[i].cfg;
    /* one pass over each image's symbols; PDs sharing an image share the answer */
    static char last_image[4096];
    static struct elf_sym_query q[] = {{.name = "microkit_name"}, {.name = "microkit_irqs"}, {.name = "microkit_notifications"},
                                       {.name = "microkit_pps"}, {.name = "microkit_ioports"}, {.name = "microkit_passive"}};
    if (strcmp(last_image, sp->image_resolved)) {
        elf_find_symbols(sp->image_resolved, q, sizeof q / sizeof *q);
        snprintf(last_image, sizeof last_image, "%s", sp->image_resolved);
    }
    const uint64_t values[] = {0, cfg->irqs, cfg->notifications, cfg->pps, cfg->ioports, sp->passive};
    for (size_t k = 0; k < sizeof q / sizeof *q && cfg->nsetvars < HK_MAX_SETVARS; k++) {
        bool name = k == 0;
        if (!q[k].found || (name ? q[k].size < sizeof cfg->name : q[k].size > 8 || q[k].size == 0))
            continue; /* not libmicrokit's variable */
        struct hk_setvar_cfg *v = &cfg->setvars[cfg->nsetvars++];
        v->addr = q[k].value;
        v->value = values[k];
        v->size = (uint32_t)q[k].size;
        v->readonly = !q[k].writable;
        v->name = name;
    }
}

/* I/O ports, SMC and <cspace> slots: the capabilities beyond channels and children. */
static void add_device_caps(unsigned i)
{
    const struct sdf_pd *sp = &M.sys.pds[M.pd[i].sdf];
    struct hk_cfg *cfg = M.pd[i].cfg;
    for (size_t k = 0; k < sp->nioports; k++)
        if (sp->ioports[k].id < HK_MAX_IOPORTS) {
            cfg->ioports |= 1ull << sp->ioports[k].id;
            cfg->ioport[sp->ioports[k].id].addr = sp->ioports[k].addr;
            cfg->ioport[sp->ioports[k].id].size = sp->ioports[k].size;
        }
    cfg->smc = sp->smc;
    for (size_t k = 0; k < sp->ncaps; k++)
        if (sp->caps[k].slot < HK_CSPACE_SLOTS)
            cfg->cspace[sp->caps[k].slot] = sp->caps[k].kind == SDF_CAP_TCB ? HK_CSLOT_TCB
                                            : sp->caps[k].kind == SDF_CAP_SC ? HK_CSLOT_SC
                                                                             : HK_CSLOT_NONE;
}

/* Maps, setvars and children of each PD. Returns -1 after printing an error. */
int build_pd_extras(void)
{
    for (unsigned i = 0; i < M.npds; i++) {
        const struct sdf_pd *sp = &M.sys.pds[M.pd[i].sdf];
        struct hk_cfg *cfg = M.pd[i].cfg;
        cfg->parent = M.parent_of[i] = sp->parent >= 0 ? M.idx_of[sp->parent] : -1;
        for (int c = 0; c < HK_NCH; c++)
            cfg->child_pd[c] = -1;
        if (sp->nmaps > HK_MAX_MAPS) {
            fprintf(stderr, "Error: protection domain '%s' has more than %d maps\n", sp->name, HK_MAX_MAPS);
            return -1;
        }
        for (size_t m = 0; m < sp->nmaps; m++) {
            const struct sdf_map *sm = &sp->maps[m];
            const struct sdf_mr *mr = &M.sys.mrs[sm->mr];
            struct hk_map_cfg *hm = &cfg->maps[cfg->nmaps];
            hm->vaddr = sm->vaddr;
            hm->size = mr->size;
            hm->perms = sm->perms;
            snprintf(hm->mr, sizeof hm->mr, "%s", mr->name);
            /* A map without w gets a read-only descriptor: the PD cannot mprotect it writable. */
            int fd = M.mr_fds[sm->mr];
            if (!(sm->perms & SDF_PERM_W))
                fd = read_only_view(fd, mr->name);
            M.pd[i].map_fds[cfg->nmaps++] = fd;
            if ((sm->setvar_vaddr && add_setvar(i, sm->setvar_vaddr, sm->vaddr) < 0) ||
                (sm->setvar_size && add_setvar(i, sm->setvar_size, mr->size) < 0) ||
                (sm->setvar_prefill_size && add_setvar(i, sm->setvar_prefill_size, mr->prefill_size) < 0))
                return -1;
        }
        for (size_t v = 0; v < sp->nsetvars; v++)
            if (add_setvar(i, sp->setvars[v].symbol, region_paddr(sp->setvars[v].region_paddr)) < 0)
                return -1;
        for (size_t q = 0; q < sp->nirqs; q++)
            if (sp->irqs[q].setvar_id && add_setvar(i, sp->irqs[q].setvar_id, sp->irqs[q].id) < 0)
                return -1;
        for (size_t k = 0; k < sp->nioports; k++) /* <ioport setvar_id setvar_addr> */
            if ((sp->ioports[k].setvar_id && add_setvar(i, sp->ioports[k].setvar_id, sp->ioports[k].id) < 0) ||
                (sp->ioports[k].setvar_addr && add_setvar(i, sp->ioports[k].setvar_addr, sp->ioports[k].addr) < 0))
                return -1;
        add_device_caps(i);
    }
    for (unsigned i = 0; i < M.npds; i++) {
        const struct sdf_pd *sp = &M.sys.pds[M.pd[i].sdf];
        if (sp->parent < 0)
            continue;
        unsigned parent = (unsigned)M.idx_of[sp->parent];
        M.pd[parent].cfg->child_pd[sp->child_id] = (int32_t)i;
        if (sp->setvar_id && add_setvar(parent, sp->setvar_id, sp->child_id) < 0)
            return -1;
    }
    for (size_t k = 0; k < M.sys.nchannels; k++)
        for (int e = 0; e < 2; e++) {
            const struct sdf_end *end = &M.sys.channels[k].end[e];
            if (end->setvar_id && add_setvar((unsigned)M.idx_of[end->pd], end->setvar_id, end->id) < 0)
                return -1;
        }
    for (unsigned i = 0; i < M.npds; i++)
        add_libmicrokit_vars(i);
    for (unsigned i = 0; i < M.npds; i++) {
        M.pd[i].trace_fd = -1;
        M.pd[i].cfg->log = M.log;
        M.pd[i].cfg->sandbox = M.sandbox;
        M.pd[i].cfg->core_wait = M.core_dir != NULL;
        M.pd[i].cfg->coverage = M.coverage;
        if (!M.trace_path)
            continue;
        char name[96];
        snprintf(name, sizeof name, "hostkit-trace-%s", pd_name((int)i));
        M.pd[i].trace_fd = make_memfd(name, HK_TRACE_BYTES);
        M.pd[i].trace = map_shared(M.pd[i].trace_fd, HK_TRACE_BYTES);
        M.pd[i].trace->cap = (HK_TRACE_BYTES - sizeof *M.pd[i].trace) / sizeof(struct hk_trace_ev);
        M.pd[i].cfg->trace = 1;
    }
    /* Each PD's channel pages arrive as consecutive fds in channel-id order (for each id: the
     * signal page it sends on, the one it receives on, the call slot, those it has), then its
     * regions, then its trace buffer (the order start_pd() passes them in). */
    for (unsigned i = 0; i < M.npds; i++) {
        struct hk_cfg *cfg = M.pd[i].cfg;
        int next_fd = HK_FD_CHAN0;
        for (int c = 0; c < HK_NCH; c++) {
            const struct pd_chan *pc = &M.pd[i].chan[c];
            cfg->ch[c].fd_out = pc->out_fd >= 0 ? next_fd++ : -1;
            cfg->ch[c].fd_in = pc->in_fd >= 0 ? next_fd++ : -1;
            cfg->ch[c].fd_call = pc->call_fd >= 0 ? next_fd++ : -1;
        }
        for (uint32_t m = 0; m < cfg->nmaps; m++)
            cfg->maps[m].fd = next_fd++;
        cfg->trace_fd = M.pd[i].trace_fd >= 0 ? next_fd++ : -1;
    }
    return 0;
}

/* Starts PD i's process, holding only its own objects as kobj.h's descriptors (3, 4, ...) in
 * the order build_pd_extras() numbered them; monitor_confine.c confines it before exec. */
void start_pd(unsigned i)
{
    fflush(stdout); /* the child must not inherit unwritten output */
    struct pd_proc *pp = &M.pd[i];
    int want[5 + 3 * HK_NCH + HK_MAX_MAPS + 1], n = 0;
    want[n++] = pp->cfg_fd;
    want[n++] = pp->ctl_fd;
    want[n++] = M.sched_fd;
    want[n++] = M.out_wr;
    want[n++] = pp->event_fd;
    for (int c = 0; c < HK_NCH; c++) {
        const struct pd_chan *pc = &pp->chan[c];
        if (pc->out_fd >= 0)
            want[n++] = pc->out_fd;
        if (pc->in_fd >= 0)
            want[n++] = pc->in_fd;
        if (pc->call_fd >= 0)
            want[n++] = pc->call_fd;
    }
    for (uint32_t m = 0; m < pp->cfg->nmaps; m++)
        want[n++] = pp->map_fds[m];
    if (pp->trace_fd >= 0)
        want[n++] = pp->trace_fd;
    pp->pid = confine_spawn(i, want, n);
}
