/* sdf.c — reads a Microkit system description (.system file) into struct sdf_system.
 *
 * The XML arrives as a stream of elements from sdf_xml.c; each element is checked as the Microkit
 * tool checks it, in the same order, so the first error reported is the one the tool reports.
 * Errors of a later phase never hide errors of an earlier one: XML errors come first, then text
 * where none belongs, then element errors in document order, then the whole-system rules in
 * sdf_check.c. Channels and domain schedules refer to things declared later, so they are kept as
 * raw elements and read once the file has been read. Also here: the public API (sdf_load,
 * sdf_free, sdf_find_pd, sdf_default_options) and finding program images and prefill files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sdf/sdf_priv.h"

/* What an open element is, to know which children it may have. */
enum frame_kind {
    F_SYSTEM, F_PD, F_VM, F_CSPACE, F_IOAS, F_DOMAINS, F_SCHED, F_CHANNEL, F_LEAF, F_SKIP, F_ROOT_BAD,
};
struct frame { enum frame_kind kind; int idx; struct sdf_loc loc; char name[40]; };

/* An element kept for later: name, location and a copy of its attributes. */
struct raw_el {
    char *name;
    struct sdf_loc loc;
    struct sdf_attr *attrs;
    size_t nattrs;
};
struct raw_group { struct raw_el el; struct raw_el *kids; size_t nkids; };

/* A channel as read from the file, compact because a file may hold very many: the ends up to
 * the first error found without knowing the PDs, and that error. PD names are resolved once
 * the whole file has been read. */
struct chan_end {
    uint32_t name;              /* index into ps.end_names */
    uint8_t id;
    bool pp, notify;
    char *setvar_id;
    struct sdf_loc loc;
};
struct raw_chan {
    struct sdf_loc loc;
    uint32_t nends;             /* <end> elements stored */
    uint32_t nkids;             /* child elements seen */
    char *err;                  /* the first error needing no PD names, or NULL */
    bool err_first;             /* ...which comes before any end (an attribute of <channel>) */
    struct chan_end e[2];
    struct chan_end *more;      /* ends beyond two */
};

struct ps {
    struct sdf_system *sys;
    const struct sdf_options *opt;
    struct sdf_err err;         /* first element error */
    struct sdf_err text_err;    /* first text where no text belongs */
    char *dir;                  /* the system file's directory, "" for the current one */
    struct frame stack[SDF_MAX_DEPTH + 2];
    bool root_seen;

    struct raw_chan *chans; size_t nchans;
    struct sdf_strmap end_names; /* PD names used by channel ends -> index into end_name_list */
    char **end_name_list; size_t nend_names;
    struct sdf_strmap symbols;  /* "PD-INDEX/SYMBOL" for setvar uniqueness */
    /* io_address_space */
    struct sdf_strmap ioas_names;
    struct sdf_u64set iommu_domain_ids, iommu_devices;
    /* domains */
    struct sdf_strmap domain_ids; /* name -> index into sys->domains */
    long id_owner[257];         /* domain id -> index into sys->domains, -1 when free */
    struct raw_group sched; bool have_sched;
    int domains_el;             /* set once <domains> was read */
};

static int fail_el(struct ps *s, const struct sdf_el *el, const char *what)
{
    return sdf_fail(&s->err, "%s '%s': %s:%d:%d", what, el->name, s->err.file, el->loc.line,
                    el->loc.col);
}

/* ---------------------------------------------------------------- files */

static bool is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* PATH relative to the system file's directory, then each search path; NULL when not found. */
static char *resolve(const struct ps *s, const char *path)
{
    char *buf;
    if (path[0] == '/')
        return is_file(path) ? sdf_strdup(path) : NULL;
    if (asprintf(&buf, "%s%s", s->dir, path) < 0)
        abort();
    if (is_file(buf))
        return buf;
    free(buf);
    for (const char *const *sp = s->opt->search_paths; sp && *sp; sp++) {
        if (asprintf(&buf, "%s/%s", *sp, path) < 0)
            abort();
        if (is_file(buf))
            return buf;
        free(buf);
    }
    return NULL;
}

static void warn(struct sdf_system *sys, const char *fmt, const char *arg)
{
    char *w;
    if (asprintf(&w, fmt, arg) < 0)
        abort();
    *SDF_PUSH(sys->warnings, sys->nwarnings) = w;
}

/* ---------------------------------------------------------------- helpers */

static const char *const *attrs_list(const char *const *l) { return l; }
#define ATTRS(...) attrs_list((const char *const[]){ __VA_ARGS__, NULL })

static int add_symbol(struct ps *s, int pd, const char *sym, const struct sdf_el *el)
{
    char *key;
    if (asprintf(&key, "%d/%s", pd, sym) < 0)
        abort();
    long old = sdf_strmap_put(&s->symbols, key, 1);
    free(key);
    if (old >= 0)
        return sdf_value_error(&s->err, el, "setvar on symbol '%s' already exists", sym);
    return 0;
}

static int check_name(struct ps *s, const struct sdf_el *el, const char *name)
{
    if (strlen(name) >= SDF_NAME_MAX)
        return sdf_value_error(&s->err, el, "name '%s' is too long, the maximum is %d characters", name,
                               SDF_NAME_MAX - 1);
    return 0;
}

static int opt_bool(struct ps *s, const struct sdf_el *el, const char *attr, bool def, bool *out)
{
    const char *v = sdf_attr(el, attr);
    *out = def;
    if (!v)
        return 0;
    int b = sdf_bool(v);
    if (b < 0)
        return sdf_value_error(&s->err, el, "%s must be 'true' or 'false'", attr);
    *out = b;
    return 0;
}

static int opt_number(struct ps *s, const struct sdf_el *el, const char *attr, uint64_t def,
                      uint64_t *out)
{
    const char *v = sdf_attr(el, attr);
    *out = def;
    return v ? sdf_number(&s->err, el, v, out) : 0;
}

static int req_number(struct ps *s, const struct sdf_el *el, const char *attr, uint64_t *out)
{
    const char *v;
    if (sdf_required(&s->err, el, attr, &v))
        return -1;
    return sdf_number(&s->err, el, v, out);
}

/* A channel-style id: plain decimal, 0..61. */
static int read_id(struct ps *s, const struct sdf_el *el, int64_t *id)
{
    const char *v;
    if (sdf_required(&s->err, el, "id", &v) || sdf_int(&s->err, el, v, id))
        return -1;
    if (*id > SDF_MAX_CHANNEL_ID)
        return sdf_value_error(&s->err, el, "id must be < %d", SDF_MAX_CHANNEL_ID + 1);
    if (*id < 0)
        return sdf_value_error(&s->err, el, "id must be >= 0");
    return 0;
}

static void copy_raw(struct raw_el *r, const struct sdf_el *el)
{
    r->name = sdf_strdup(el->name);
    r->loc = el->loc;
    r->nattrs = el->nattrs;
    r->attrs = calloc(el->nattrs ? el->nattrs : 1, sizeof *r->attrs);
    if (!r->attrs)
        abort();
    for (size_t i = 0; i < el->nattrs; i++) {
        r->attrs[i].name = sdf_strdup(el->attrs[i].name);
        r->attrs[i].value = sdf_strdup(el->attrs[i].value);
    }
}

static void free_raw(struct raw_el *r)
{
    for (size_t i = 0; i < r->nattrs; i++) {
        free((char *)r->attrs[i].name);
        free((char *)r->attrs[i].value);
    }
    free(r->attrs);
    free(r->name);
}

static void free_group(struct raw_group *g)
{
    free_raw(&g->el);
    for (size_t i = 0; i < g->nkids; i++)
        free_raw(&g->kids[i]);
    free(g->kids);
}

static struct sdf_el as_el(const struct raw_el *r)
{
    struct sdf_el el = { r->name, r->loc, r->attrs, r->nattrs };
    return el;
}

/* "0:3.0" -> bus, device, function (hex), or the tool's wording of what is wrong. */
static const char *parse_pci(const char *s, unsigned *bus, unsigned *dev, unsigned *fn)
{
    const char *colon = strchr(s, ':');
    if (!colon)
        return "expected PCI address in bus:device.function form";
    const char *dot = strchr(colon + 1, '.');
    if (!dot)
        return "expected PCI address in bus:device.function form";
    struct { const char *b, *e; unsigned max; const char *perr, *rerr; unsigned *out; } part[3] = {
        { s, colon, 255, "failed to parse PCI bus", "PCI bus must be within [0..255]", bus },
        { colon + 1, dot, 31, "failed to parse PCI device", "PCI device must be within [0..31]", dev },
        { dot + 1, s + strlen(s), 7, "failed to parse PCI function", "PCI function must be within [0..7]",
          fn },
    };
    for (int i = 0; i < 3; i++) {
        const char *b = part[i].b, *e = part[i].e;
        while (b < e && (*b == ' ' || *b == '\t' || *b == '\n' || *b == '\r'))
            b++;
        while (e > b && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
            e--;
        char tmp[64];
        size_t n = (size_t)(e - b);
        if (n >= sizeof tmp)
            return part[i].perr;
        memcpy(tmp, b, n);
        tmp[n] = 0;
        int64_t v;
        if (sdf_parse_i64(tmp, 16, &v))
            return part[i].perr;
        if (v < 0 || v > part[i].max)
            return part[i].rerr;
        *part[i].out = (unsigned)v;
    }
    return NULL;
}

/* ---------------------------------------------------------------- elements */

static int read_map(struct ps *s, const struct sdf_el *el, bool allow_setvar, uint64_t max_vaddr,
                    struct sdf_map *m)
{
    if (sdf_check_attrs(&s->err, el,
                        allow_setvar ? ATTRS("mr", "vaddr", "perms", "cached", "setvar_vaddr",
                                             "setvar_size", "setvar_prefill_size")
                                     : ATTRS("mr", "vaddr", "perms", "cached")))
        return -1;
    const char *mr, *perms;
    if (sdf_required(&s->err, el, "mr", &mr) || req_number(s, el, "vaddr", &m->vaddr))
        return -1;
    m->mr_name = sdf_strdup(mr);
    m->mr = -1;
    m->loc = el->loc;
    if (m->vaddr >= max_vaddr)
        return sdf_value_error(&s->err, el, "vaddr (0x%llx) must be less than 0x%llx",
                               (unsigned long long)m->vaddr, (unsigned long long)max_vaddr);
    m->perms = SDF_PERM_R | SDF_PERM_W;
    if ((perms = sdf_attr(el, "perms"))) {
        m->perms = 0;
        for (const char *c = perms; *c; c++) {
            if (*c == 'r') m->perms |= SDF_PERM_R;
            else if (*c == 'w') m->perms |= SDF_PERM_W;
            else if (*c == 'x') m->perms |= SDF_PERM_X;
            else
                return sdf_value_error(&s->err, el,
                                       "perms must only be a combination of 'r', 'w', and 'x'");
        }
    }
    if (m->perms == SDF_PERM_W)
        return sdf_value_error(&s->err, el,
                               "perms must not be 'w', write-only mappings are not allowed");
    if (opt_bool(s, el, "cached", true, &m->cached))
        return -1;
    m->setvar_vaddr = sdf_strdup(sdf_attr(el, "setvar_vaddr"));
    m->setvar_size = sdf_strdup(sdf_attr(el, "setvar_size"));
    m->setvar_prefill_size = sdf_strdup(sdf_attr(el, "setvar_prefill_size"));
    return 0;
}

static int start_mr(struct ps *s, const struct sdf_el *el)
{
    struct sdf_system *sys = s->sys;
    if (sdf_check_attrs(&s->err, el, ATTRS("name", "size", "page_size", "phys_addr", "prefill_path",
                                           "prefill_bootinfo")))
        return -1;
    const char *name;
    if (sdf_required(&s->err, el, "name", &name) || check_name(s, el, name))
        return -1;
    struct sdf_mr *mr = SDF_PUSH(sys->mrs, sys->nmrs);
    snprintf(mr->name, sizeof mr->name, "%s", name);
    mr->loc = el->loc;
    mr->page_size_given = sdf_attr(el, "page_size") != NULL;
    if (opt_number(s, el, "page_size", 0x1000, &mr->page_size))
        return -1;
    if (mr->page_size != 0x1000 && mr->page_size != 0x200000)
        return sdf_value_error(&s->err, el, "page size 0x%llx not supported",
                               (unsigned long long)mr->page_size);
    const char *pp = sdf_attr(el, "prefill_path"), *bi = sdf_attr(el, "prefill_bootinfo");
    if (pp) {
        mr->prefill_path = sdf_strdup(pp);
        mr->prefill_resolved = resolve(s, pp);
        if (!mr->prefill_resolved)
            return sdf_value_error(&s->err, el, "unable to find prefill file: '%s'", pp);
        struct stat st;
        FILE *f = fopen(mr->prefill_resolved, "rb");
        if (!f || fstat(fileno(f), &st) != 0) {
            if (f)
                fclose(f);
            return sdf_value_error(&s->err, el, "failed to read file '%s' at prefill_path", pp);
        }
        fclose(f);
        if (st.st_size == 0)
            return sdf_value_error(&s->err, el, "prefill file '%s' is empty", pp);
        mr->prefill_size = (uint64_t)st.st_size;
    }
    if (bi) {
        static const char *const kinds[] = { "x86_vbe", "x86_mbmmap", "x86_acpi_rsdp",
                                             "x86_framebuffer", "x86_tsc_freq", "fdt" };
        for (int i = 0; i < 6; i++)
            if (!strcmp(bi, kinds[i]))
                mr->prefill_bootinfo = i + 1;
        if (!mr->prefill_bootinfo)
            return sdf_value_error(&s->err, el, "BootInfoMap type: '%s' is not supported", bi);
    }
    if (pp && bi)
        return sdf_value_error(&s->err, el, "prefill_path and prefill_bootinfo cannot be both specified");
    const char *size = sdf_attr(el, "size");
    if (size) {
        if (sdf_number(&s->err, el, size, &mr->size))
            return -1;
        if (mr->size % mr->page_size)
            return sdf_value_error(&s->err, el, "size is not a multiple of the page size");
        if (pp && mr->prefill_size > mr->size)
            return sdf_value_error(&s->err, el,
                                   "size of prefill file exceeds memory region size: %llx > %llx",
                                   (unsigned long long)mr->prefill_size,
                                   (unsigned long long)mr->size);
    } else if (bi) {
        mr->size = mr->page_size;
    } else if (pp) {
        mr->size = (mr->prefill_size + mr->page_size - 1) / mr->page_size * mr->page_size;
    } else {
        return sdf_value_error(&s->err, el, "size must be specified if memory region is not prefilled");
    }
    const char *pa = sdf_attr(el, "phys_addr");
    if (pa) {
        mr->has_phys_addr = true;
        if (sdf_number(&s->err, el, pa, &mr->phys_addr))
            return -1;
        if (mr->phys_addr % mr->page_size)
            return sdf_value_error(&s->err, el, "phys_addr is not aligned to the page size");
    }
    return 0;
}

static int start_pd(struct ps *s, const struct sdf_el *el, int parent)
{
    struct sdf_system *sys = s->sys;
    const struct sdf_options *o = s->opt;
    bool child = parent >= 0;
    if (sdf_check_attrs(&s->err, el,
                        child ? ATTRS("name", "priority", "budget", "period", "passive", "stack_size",
                                      "smc", "cpu", "domain", "fpu", "id", "setvar_id")
                              : ATTRS("name", "priority", "budget", "period", "passive", "stack_size",
                                      "smc", "cpu", "domain", "fpu")))
        return -1;
    const char *name;
    if (sdf_required(&s->err, el, "name", &name) || check_name(s, el, name))
        return -1;
    struct sdf_pd *pd = SDF_PUSH(sys->pds, sys->npds);
    snprintf(pd->name, sizeof pd->name, "%s", name);
    pd->loc = el->loc;
    pd->parent = parent;
    pd->domain = -1;
    pd->vm = -1;
    if (child) {
        uint64_t id;
        if (req_number(s, el, "id", &id))
            return -1;
        if (id > SDF_MAX_CHILD_ID)
            return sdf_value_error(&s->err, el, "id must be < %d", SDF_MAX_CHILD_ID + 1);
        pd->child_id = (unsigned)id;
        pd->setvar_id = sdf_strdup(sdf_attr(el, "setvar_id"));
    }
    if (opt_number(s, el, "budget", SDF_BUDGET_DEFAULT, &pd->budget) ||
        opt_number(s, el, "period", pd->budget, &pd->period))
        return -1;
    if (pd->budget > pd->period)
        return sdf_value_error(&s->err, el, "budget (%llu) must be less than, or equal to, period (%llu)",
                               (unsigned long long)pd->budget, (unsigned long long)pd->period);
    if (opt_bool(s, el, "passive", false, &pd->passive) ||
        opt_number(s, el, "stack_size", SDF_STACK_DEFAULT, &pd->stack_size) ||
        opt_bool(s, el, "smc", false, &pd->smc))
        return -1;
    if (pd->smc && o->arch != SDF_AARCH64)
        return sdf_fail(&s->err, "ARM SMC forwarding support is not available for this architecture");
    uint64_t cpu;
    if (opt_number(s, el, "cpu", 0, &cpu))
        return -1;
    if (cpu >= o->cores)
        return sdf_value_error(&s->err, el, "cpu core must be less than %u, got %llu", o->cores,
                               (unsigned long long)cpu);
    pd->cpu = (unsigned)cpu;
    const char *dom = sdf_attr(el, "domain");
    if (s->sys->ndomains) {
        if (sdf_required(&s->err, el, "domain", &dom))
            return -1;
        long d = sdf_strmap_get(&s->domain_ids, dom);
        if (d < 0)
            return sdf_value_error(&s->err, el, "domain '%s' not declared in <domains>:", dom);
        pd->domain = (int)sys->domains[d].id;
    } else if (dom) {
        return sdf_value_error(&s->err, el,
                               "Specifying a domain '%s' without declaring a domain schedule is not allowed:",
                               dom);
    }
    if (pd->stack_size < SDF_STACK_MIN || pd->stack_size > SDF_STACK_MAX)
        return sdf_value_error(&s->err, el, "stack size must be between 0x%llx bytes and 0x%llx bytes",
                               (unsigned long long)SDF_STACK_MIN, (unsigned long long)SDF_STACK_MAX);
    if (pd->stack_size % 0x1000)
        return sdf_value_error(&s->err, el,
                               "stack size must be aligned to the smallest page size, 4096 bytes");
    uint64_t prio;
    if (opt_number(s, el, "priority", 0, &prio))
        return -1;
    if (prio > 254)
        return sdf_value_error(&s->err, el, "priority must be between 0 and 254");
    pd->priority = (uint8_t)prio;
    return opt_bool(s, el, "fpu", true, &pd->fpu);
}

static int pd_irq(struct ps *s, int pdi, const struct sdf_el *el)
{
    struct sdf_pd *pd = &s->sys->pds[pdi];
    bool x86 = s->opt->arch == SDF_X86_64;
    int64_t id;
    if (read_id(s, el, &id))
        return -1;
    const char *sv = sdf_attr(el, "setvar_id");
    if (sv && add_symbol(s, pdi, sv, el))
        return -1;
    struct sdf_irq irq = { .id = (unsigned)id, .loc = el->loc, .level = 1, .polarity = 1 };
    const char *v, *trig;
    if ((v = sdf_attr(el, "irq"))) {
        if (x86)
            return sdf_value_error(&s->err, el, "ARM and RISC-V IRQs are not supported on x86");
        if (sdf_check_attrs(&s->err, el, ATTRS("irq", "id", "setvar_id", "trigger")) ||
            sdf_uint(&s->err, el, v, &irq.irq))
            return -1;
        irq.kind = SDF_IRQ_CONVENTIONAL;
        if ((trig = sdf_attr(el, "trigger"))) {
            if (strcmp(trig, "level") && strcmp(trig, "edge"))
                return sdf_value_error(&s->err, el, "trigger must be either 'level' or 'edge'");
            irq.edge = !strcmp(trig, "edge");
        }
    } else if ((v = sdf_attr(el, "pin"))) {
        if (!x86)
            return sdf_value_error(&s->err, el, "x86 I/O APIC IRQ isn't supported on ARM and RISC-V");
        if (sdf_check_attrs(&s->err, el, ATTRS("id", "setvar_id", "ioapic", "pin", "trigger",
                                               "polarity", "vector")))
            return -1;
        irq.kind = SDF_IRQ_IOAPIC;
        int64_t ioapic = 0, pin, vector;
        const char *a = sdf_attr(el, "ioapic");
        if (a && sdf_int(&s->err, el, a, &ioapic))
            return -1;
        if (ioapic < 0)
            return sdf_value_error(&s->err, el, "ioapic must be >= 0");
        if (sdf_int(&s->err, el, v, &pin))
            return -1;
        if (pin < 0)
            return sdf_value_error(&s->err, el, "pin must be >= 0");
        if ((trig = sdf_attr(el, "trigger"))) {
            if (strcmp(trig, "level") && strcmp(trig, "edge"))
                return sdf_value_error(&s->err, el, "trigger must be either 'level' or 'edge'");
            irq.edge = !strcmp(trig, "edge");
            irq.level = !irq.edge;
        }
        if ((a = sdf_attr(el, "polarity"))) {
            if (strcmp(a, "low") && strcmp(a, "high"))
                return sdf_value_error(&s->err, el, "polarity must be either 'low' or 'high'");
            irq.polarity = !strcmp(a, "high");
        }
        if (sdf_required(&s->err, el, "vector", &a) || sdf_int(&s->err, el, a, &vector))
            return -1;
        if (vector < 0 || vector > SDF_X86_VECTOR_MAX)
            return sdf_value_error(&s->err, el, "vector must be within [0..%d]", SDF_X86_VECTOR_MAX);
        irq.ioapic = (uint64_t)ioapic, irq.pin = (uint64_t)pin, irq.vector = (uint64_t)vector;
    } else if ((v = sdf_attr(el, "pcidev"))) {
        if (!x86)
            return sdf_value_error(&s->err, el, "x86 MSI IRQ isn't supported on ARM and RISC-V");
        if (sdf_check_attrs(&s->err, el, ATTRS("id", "setvar_id", "pcidev", "handle", "vector")))
            return -1;
        irq.kind = SDF_IRQ_MSI;
        unsigned b, d, f;
        const char *perr = parse_pci(v, &b, &d, &f), *a;
        if (perr)
            return sdf_value_error(&s->err, el, "%s", perr);
        int64_t handle, vector;
        if (sdf_required(&s->err, el, "handle", &a) || sdf_int(&s->err, el, a, &handle))
            return -1;
        if (handle < 0)
            return sdf_value_error(&s->err, el, "handle must be >= 0");
        if (sdf_required(&s->err, el, "vector", &a) || sdf_int(&s->err, el, a, &vector))
            return -1;
        if (vector < 0 || vector > SDF_X86_VECTOR_MAX)
            return sdf_value_error(&s->err, el, "vector must be within [0..%d]", SDF_X86_VECTOR_MAX);
        irq.pci_bus = b, irq.pci_dev = d, irq.pci_func = f;
        irq.handle = (uint64_t)handle, irq.vector = (uint64_t)vector;
    } else {
        const char *dummy;
        if (x86 && sdf_required(&s->err, el, "pin", &dummy))
            return -1;
        return sdf_required(&s->err, el, x86 ? "pcidev" : "irq", &dummy);
    }
    irq.setvar_id = sdf_strdup(sv);
    *SDF_PUSH(pd->irqs, pd->nirqs) = irq;
    return 0;
}

static int pd_ioport(struct ps *s, int pdi, const struct sdf_el *el, const struct sdf_el *pdel)
{
    struct sdf_pd *pd = &s->sys->pds[pdi];
    if (s->opt->arch != SDF_X86_64)
        return sdf_value_error(&s->err, pdel, "I/O Ports are only available on x86");
    if (sdf_check_attrs(&s->err, el, ATTRS("id", "setvar_id", "setvar_addr", "addr", "size")))
        return -1;
    int64_t id, size;
    if (read_id(s, el, &id))
        return -1;
    const char *sv = sdf_attr(el, "setvar_id"), *sa = sdf_attr(el, "setvar_addr"), *v;
    if (sv && add_symbol(s, pdi, sv, el))
        return -1;
    uint64_t addr;
    if (req_number(s, el, "addr", &addr))
        return -1;
    if (sa && add_symbol(s, pdi, sa, el))
        return -1;
    if (sdf_required(&s->err, el, "size", &v) || sdf_int(&s->err, el, v, &size))
        return -1;
    if (size <= 0)
        return sdf_value_error(&s->err, el, "size must be > 0");
    struct sdf_ioport *io = SDF_PUSH(pd->ioports, pd->nioports);
    io->id = (unsigned)id;
    io->addr = addr;
    io->size = (uint64_t)size;
    io->setvar_id = sdf_strdup(sv);
    io->setvar_addr = sdf_strdup(sa);
    io->loc = pd->loc; /* the tool reports an I/O port at its protection domain */
    return 0;
}

static int start_vm(struct ps *s, int pdi, const struct sdf_el *el, const struct sdf_el *pdel)
{
    struct sdf_system *sys = s->sys;
    if (!s->opt->hypervisor)
        return sdf_value_error(&s->err, pdel,
                               "seL4 has not been built as a hypervisor, virtual machines are disabled");
    if (sys->pds[pdi].vm >= 0)
        return sdf_value_error(&s->err, pdel, "virtual_machine must only be specified once");
    bool arm = s->opt->arch == SDF_AARCH64;
    if (sdf_check_attrs(&s->err, el, arm ? ATTRS("name", "budget", "period", "priority") : ATTRS("name")))
        return -1;
    const char *name;
    if (sdf_required(&s->err, el, "name", &name) || check_name(s, el, name))
        return -1;
    sys->pds[pdi].vm = (int)sys->nvms;
    struct sdf_vm *vm = SDF_PUSH(sys->vms, sys->nvms);
    snprintf(vm->name, sizeof vm->name, "%s", name);
    vm->pd = pdi;
    vm->loc = el->loc;
    if (arm) {
        uint64_t prio;
        if (opt_number(s, el, "budget", SDF_BUDGET_DEFAULT, &vm->budget) ||
            opt_number(s, el, "period", vm->budget, &vm->period))
            return -1;
        if (vm->budget > vm->period)
            return sdf_value_error(&s->err, el,
                                   "budget (%llu) must be less than, or equal to, period (%llu)",
                                   (unsigned long long)vm->budget, (unsigned long long)vm->period);
        if (opt_number(s, el, "priority", 0, &prio))
            return -1;
        if (prio > 254)
            return sdf_value_error(&s->err, el, "priority must be between 0 and 254");
        vm->priority = (uint8_t)prio;
    }
    return 0;
}

static int vm_vcpu(struct ps *s, struct sdf_vm *vm, const struct sdf_el *el)
{
    if (sdf_check_attrs(&s->err, el, ATTRS("id", "setvar_id", "cpu")))
        return -1;
    const char *v;
    uint64_t id, cpu;
    if (sdf_required(&s->err, el, "id", &v) || sdf_uint(&s->err, el, v, &id))
        return -1;
    if (id > SDF_MAX_CHANNEL_ID)
        return sdf_value_error(&s->err, el, "id must be < %d", SDF_MAX_CHANNEL_ID + 1);
    for (size_t i = 0; i < vm->nvcpus; i++)
        if (vm->vcpus[i].id == id)
            return sdf_fail(&s->err, "duplicate vcpu id %llu in virtual machine '%s' @ %s:%d:%d",
                            (unsigned long long)id, vm->name, s->err.file, el->loc.line, el->loc.col);
    struct sdf_vcpu vc = { .id = (unsigned)id, .cpu = -1, .loc = el->loc };
    if ((v = sdf_attr(el, "cpu"))) {
        if (sdf_number(&s->err, el, v, &cpu))
            return -1;
        if (cpu >= s->opt->cores)
            return sdf_value_error(&s->err, el, "cpu core must be less than %u, got %llu",
                                   s->opt->cores, (unsigned long long)cpu);
        vc.cpu = (int)cpu;
    }
    vc.setvar_id = sdf_strdup(sdf_attr(el, "setvar_id"));
    *SDF_PUSH(vm->vcpus, vm->nvcpus) = vc;
    return 0;
}

static int cspace_cap(struct ps *s, int pdi, const struct sdf_el *el)
{
    struct sdf_pd *pd = &s->sys->pds[pdi];
    enum sdf_cap_kind kind;
    if (!strcmp(el->name, "cap_tcb")) kind = SDF_CAP_TCB;
    else if (!strcmp(el->name, "cap_sc")) kind = SDF_CAP_SC;
    else if (!strcmp(el->name, "cap_vspace")) kind = SDF_CAP_VSPACE;
    else if (!strncmp(el->name, "cap_", 4))
        return sdf_fail(&s->err, "Cap type: '%s' is not supported at '%s:%d:%d'", el->name + 4,
                        s->err.file, el->loc.line, el->loc.col);
    else
        return sdf_fail(&s->err, "Element '%s' is not supported in a <cspace> element at '%s:%d:%d'",
                        el->name, s->err.file, el->loc.line, el->loc.col);
    if (sdf_check_attrs(&s->err, el, ATTRS("slot", "pd")))
        return -1;
    const char *target;
    uint64_t slot;
    if (sdf_required(&s->err, el, "pd", &target) || req_number(s, el, "slot", &slot))
        return -1;
    if (slot == 0)
        return sdf_value_error(&s->err, el, "The destination slot 0 has been reserved for Microkit CNode");
    if (slot >= SDF_CAP_MAX_SLOT)
        return sdf_value_error(&s->err, el, "There are only %d destination cspace slots available.",
                               SDF_CAP_MAX_SLOT);
    struct sdf_capmap *c = SDF_PUSH(pd->caps, pd->ncaps);
    c->kind = kind;
    c->pd = -1;
    c->pd_name = sdf_strdup(target);
    c->slot = slot;
    c->loc = el->loc;
    return 0;
}

static int start_ioas(struct ps *s, const struct sdf_el *el, int *idx)
{
    const struct sdf_options *o = s->opt;
    if (!o->iommu)
        return sdf_fail(&s->err, "io address space requires seL4 to be built with IOMMU support: %s:%d:%d",
                        s->err.file, el->loc.line, el->loc.col);
    if (sdf_check_attrs(&s->err, el, ATTRS("name", "peripheral_id", "domain_id")))
        return -1;
    const char *name, *pid;
    if (sdf_required(&s->err, el, "name", &name))
        return -1;
    if (sdf_strmap_put(&s->ioas_names, name, 1) >= 0)
        return sdf_value_error(&s->err, el, "duplicate name '%s'", name);
    uint64_t domain_id = 0;
    if (o->arch == SDF_X86_64) {
        if (req_number(s, el, "domain_id", &domain_id))
            return -1;
        if (sdf_u64set_add(&s->iommu_domain_ids, domain_id))
            return sdf_value_error(&s->err, el, "reusing a domain id is forbidden");
    }
    if (sdf_required(&s->err, el, "peripheral_id", &pid))
        return -1;
    if (o->arch != SDF_X86_64)
        return sdf_value_error(&s->err, el,
                               "failed to parse device peripheral_id '%s': IOMMU device identifiers are not supported on %s",
                               pid, o->arch == SDF_AARCH64 ? "AArch64" : "RISC-V (64-bit)");
    unsigned b, d, f;
    const char *perr = parse_pci(pid, &b, &d, &f);
    if (perr)
        return sdf_value_error(&s->err, el, "failed to parse device peripheral_id '%s': %s", pid, perr);
    if (sdf_u64set_add(&s->iommu_devices, (uint64_t)b << 16 | d << 8 | f))
        return sdf_value_error(&s->err, el, "duplicate device peripheral_id 'PCI device %02x:%02x.%x'",
                               b, d, f);
    /* Remember the device in a template iomap; each <iomap> copies it. */
    *idx = (int)((uint64_t)b << 16 | d << 8 | f);
    (void)domain_id;
    struct sdf_iomap *t = SDF_PUSH(s->sys->iomaps, s->sys->niomaps);
    t->space = sdf_strdup(name);
    t->pci_bus = b, t->pci_dev = d, t->pci_func = f;
    t->domain_id = domain_id;
    t->mr = -2; /* template, removed at the end of the element */
    return 0;
}

static int ioas_iomap(struct ps *s, const struct sdf_el *el)
{
    struct sdf_system *sys = s->sys;
    struct sdf_iomap t = sys->iomaps[sys->niomaps - 1]; /* the template is always last */
    if (sdf_check_attrs(&s->err, el, ATTRS("mr", "iovaddr", "perms")))
        return -1;
    const char *mr, *perms;
    uint64_t iova;
    if (sdf_required(&s->err, el, "mr", &mr) || req_number(s, el, "iovaddr", &iova))
        return -1;
    if (iova > SDF_MAX_IOVA)
        return sdf_value_error(&s->err, el, "iovaddr (0x%llx) must be less than 0x%llx",
                               (unsigned long long)iova, (unsigned long long)SDF_MAX_IOVA + 1);
    unsigned p = SDF_PERM_R | SDF_PERM_W;
    if ((perms = sdf_attr(el, "perms"))) {
        p = 0;
        for (const char *c = perms; *c; c++) {
            if (*c == 'r') p |= SDF_PERM_R;
            else if (*c == 'w') p |= SDF_PERM_W;
            else { p = 0; break; }
        }
        if (!p)
            return sdf_value_error(&s->err, el,
                                   "perms for io mapped memory must only be a combination of 'r' and 'w'");
    }
    /* insert before the template */
    struct sdf_iomap *m = SDF_PUSH(sys->iomaps, sys->niomaps);
    *m = sys->iomaps[sys->niomaps - 2];
    struct sdf_iomap *n = &sys->iomaps[sys->niomaps - 2];
    *n = t;
    n->space = sdf_strdup(t.space);
    n->mr = -1;
    n->mr_name = sdf_strdup(mr);
    n->iovaddr = iova;
    n->perms = p;
    n->loc = el->loc;
    return 0;
}

static int domains_domain(struct ps *s, const struct sdf_el *el)
{
    struct sdf_system *sys = s->sys;
    if (sdf_check_attrs(&s->err, el, ATTRS("name", "id")))
        return -1;
    const char *name, *v;
    if (sdf_required(&s->err, el, "name", &name))
        return -1;
    long id = -1;
    if ((v = sdf_attr(el, "id"))) {
        uint64_t n;
        if (sdf_number(&s->err, el, v, &n))
            return -1;
        if (n >= s->opt->domains)
            return sdf_value_error(&s->err, el,
                                   "domain id %llu should be less than the configured KernelNumDomains value of %u",
                                   (unsigned long long)n, s->opt->domains);
        id = (long)n;
    }
    long old = sdf_strmap_put(&s->domain_ids, name, (long)sys->ndomains);
    if (old >= 0) {
        char prev[32];
        if (sys->domains[old].id != (unsigned)-1)
            snprintf(prev, sizeof prev, "Some(%u)", sys->domains[old].id);
        else
            snprintf(prev, sizeof prev, "None");
        return sdf_value_error(&s->err, el,
                               "Each <domain>'s name element must be unique found existing domain '%s' with id '%s'",
                               name, prev);
    }
    if (id >= 0 && s->id_owner[id] >= 0)
        return sdf_value_error(&s->err, el,
                               "Each <domain>'s id element must be unique found existing domain '%s' with id '%ld'",
                               sys->domains[s->id_owner[id]].name, id);
    if (id >= 0)
        s->id_owner[id] = (long)sys->ndomains;
    struct sdf_domain *d = SDF_PUSH(sys->domains, sys->ndomains);
    d->name = sdf_strdup(name);
    d->id = (unsigned)id; /* (unsigned)-1 until assigned */
    return 0;
}

/* At </domains>: give ids to the unnumbered domains, then read the schedule. */
static int end_domains(struct ps *s, const struct sdf_el *domains_el)
{
    struct sdf_system *sys = s->sys;
    const struct sdf_options *o = s->opt;
    if (!s->have_sched)
        return sdf_value_error(&s->err, domains_el, "The <domain_schedule> element must appear once");
    /* ids 0..=KernelNumDomains are handed out in order, as the tool does */
    unsigned next = 0;
    for (size_t i = 0; i < sys->ndomains; i++) {
        if (sys->domains[i].id != (unsigned)-1)
            continue;
        while (next <= o->domains && s->id_owner[next] >= 0)
            next++;
        if (next > o->domains)
            return sdf_value_error(&s->err, domains_el, "Number of domains exceeds %u", o->domains);
        s->id_owner[next] = (long)i;
        sys->domains[i].id = next;
    }
    /* the schedule */
    struct sdf_el sel = as_el(&s->sched.el);
    if (sdf_check_attrs(&s->err, &sel, ATTRS("index_shift", "start_index")))
        return -1;
    uint64_t start = 0, shift = 0;
    const char *v;
    if ((v = sdf_attr(&sel, "start_index")) && sdf_number(&s->err, &sel, v, &start))
        return -1;
    if ((v = sdf_attr(&sel, "index_shift"))) {
        if (sdf_number(&s->err, &sel, v, &shift))
            return -1;
        sys->has_index_shift = true;
        sys->schedule_index_shift = shift;
    }
    for (size_t k = 0; k < s->sched.nkids; k++) {
        struct sdf_el el = as_el(&s->sched.kids[k]);
        struct sdf_sched_entry ent = { .domain = -1 };
        if (!strcmp(el.name, "schedule_end_marker")) {
            if (sdf_check_attrs(&s->err, &el, ATTRS("")))
                return -1;
        } else if (!strcmp(el.name, "schedule_entry")) {
            const char *dn, *dur;
            if (sdf_check_attrs(&s->err, &el, ATTRS("domain", "duration")) ||
                sdf_required(&s->err, &el, "domain", &dn) ||
                sdf_required(&s->err, &el, "duration", &dur))
                return -1;
            long di = sdf_strmap_get(&s->domain_ids, dn);
            if (di < 0)
                return sdf_value_error(&s->err, &el, "domain '%s' does not exist,", dn);
            ent.domain = (int)di;
            const char *sp = strchr(dur, ' ');
            if (!sp)
                return sdf_value_error(&s->err, &el,
                                       "The duration '%s' must contain a value and a unit, e.g. '1000 us'",
                                       dur);
            char *raw = strndup(dur, (size_t)(sp - dur));
            int rc = sdf_number(&s->err, &el, raw, &ent.duration);
            free(raw);
            if (rc)
                return -1;
            if (!ent.duration)
                return sdf_value_error(&s->err, &el, "The duration '%s' must be non-zero", dur);
            if (!strcmp(sp + 1, "ticks"))
                ent.ticks = true;
            else if (strcmp(sp + 1, "us"))
                return sdf_value_error(&s->err, &el, "The duration '%s' must be in either 'ticks' or 'us'",
                                       dur);
        } else {
            return sdf_fail(&s->err, "invalid XML element as child of <domain_schedule> '%s': %s:%d:%d",
                            el.name, s->err.file, el.loc.line, el.loc.col);
        }
        *SDF_PUSH(sys->schedule, sys->nschedule) = ent;
    }
    if (sys->nschedule >= o->domain_schedules)
        return sdf_fail(&s->err,
                        "More than configured KernelNumDomainSchedules %u number of <schedule_entry> elements found",
                        o->domain_schedules);
    if (start >= sys->nschedule)
        return sdf_value_error(&s->err, &sel,
                               "schedule_start_index '%llu' is greater than the length of the schedule '%zu'",
                               (unsigned long long)start, sys->nschedule);
    if (sys->has_index_shift && shift + sys->nschedule >= o->domain_schedules)
        return sdf_value_error(&s->err, &sel,
                               "schedule_index_shift '%llu' on top of the schedule length '%zu' would exceed than the configured KernelNumDomainSchedules %u",
                               (unsigned long long)start, sys->nschedule, o->domain_schedules);
    sys->schedule_start_index = start;
    return 0;
}

/* ---------------------------------------------------------------- the element stream */

static int start_in_pd(struct ps *s, int pdi, const struct sdf_el *el, struct frame *fr)
{
    struct sdf_system *sys = s->sys;
    struct sdf_pd *pd = &sys->pds[pdi];
    struct sdf_el pdel = { "protection_domain", pd->loc, NULL, 0 };
    fr->kind = F_LEAF;
    if (!strcmp(el->name, "program_image")) {
        if (sdf_check_attrs(&s->err, el, ATTRS("path", "path_for_symbols")))
            return -1;
        if (pd->program_image)
            return sdf_value_error(&s->err, &pdel, "program_image must only be specified once");
        const char *path;
        if (sdf_required(&s->err, el, "path", &path))
            return -1;
        pd->program_image = sdf_strdup(path);
        pd->program_image_for_symbols = sdf_strdup(sdf_attr(el, "path_for_symbols"));
        return 0;
    }
    if (!strcmp(el->name, "map")) {
        struct sdf_map m = { 0 };
        int rc = read_map(s, el, true, sdf_pd_map_max_vaddr(s->opt, pd->stack_size), &m);
        if (!rc && m.setvar_vaddr) rc = add_symbol(s, pdi, m.setvar_vaddr, el);
        if (!rc && m.setvar_size) rc = add_symbol(s, pdi, m.setvar_size, el);
        if (!rc && m.setvar_prefill_size) rc = add_symbol(s, pdi, m.setvar_prefill_size, el);
        *SDF_PUSH(pd->maps, pd->nmaps) = m; /* kept even on error so that it is freed */
        return rc;
    }
    if (!strcmp(el->name, "irq"))
        return pd_irq(s, pdi, el);
    if (!strcmp(el->name, "ioport"))
        return pd_ioport(s, pdi, el, &pdel);
    if (!strcmp(el->name, "setvar")) {
        const char *sym, *region;
        if (sdf_check_attrs(&s->err, el, ATTRS("symbol", "region_paddr")) ||
            sdf_required(&s->err, el, "symbol", &sym) ||
            sdf_required(&s->err, el, "region_paddr", &region) || add_symbol(s, pdi, sym, el))
            return -1;
        struct sdf_setvar *sv = SDF_PUSH(pd->setvars, pd->nsetvars);
        sv->symbol = sdf_strdup(sym);
        sv->region_name = sdf_strdup(region);
        sv->region_paddr = -1;
        sv->loc = el->loc;
        return 0;
    }
    if (!strcmp(el->name, "protection_domain")) {
        fr->kind = F_PD;
        fr->idx = (int)sys->npds;
        return start_pd(s, el, pdi);
    }
    if (!strcmp(el->name, "virtual_machine")) {
        fr->kind = F_VM;
        if (start_vm(s, pdi, el, &pdel))
            return -1;
        fr->idx = (int)sys->nvms - 1;
        return 0;
    }
    if (!strcmp(el->name, "cspace")) {
        if (pd->has_cspace)
            return sdf_value_error(&s->err, &pdel, "cspace must only be specified once");
        pd->has_cspace = true;
        fr->kind = F_CSPACE;
        fr->idx = pdi;
        return sdf_check_attrs(&s->err, el, ATTRS(""));
    }
    return fail_el(s, el, "Invalid XML element");
}

/* Runs CHECK with a scratch error; a failure becomes the channel's stored error. */
static void chan_error(struct ps *s, struct raw_chan *c,
                       int (*check)(struct sdf_err *, const struct sdf_el *, const char *const *),
                       const struct sdf_el *el, const char *const *arg)
{
    char buf[1024];
    struct sdf_err tmp = { buf, sizeof buf, s->err.file, false };
    if (!c->err && check(&tmp, el, arg))
        c->err = sdf_strdup(buf);
}

static uint32_t intern_end_name(struct ps *s, const char *name)
{
    long old = sdf_strmap_put(&s->end_names, name, (long)s->nend_names);
    if (old >= 0)
        return (uint32_t)old;
    *SDF_PUSH(s->end_name_list, s->nend_names) = sdf_strdup(name);
    return (uint32_t)(s->nend_names - 1);
}

/* An <end>: everything that can be checked before the PDs are known, in the tool's order. */
static void chan_end(struct ps *s, struct raw_chan *c, const struct sdf_el *el)
{
    c->nkids++;
    if (c->err)
        return;
    char buf[1024];
    struct sdf_err tmp = { buf, sizeof buf, s->err.file, false };
    struct sdf_err saved = s->err;
    s->err = tmp; /* the element helpers report into s->err */
    const char *pdname = NULL;
    int64_t id = 0;
    bool notify = true, pp = false;
    int rc;
    if (strcmp(el->name, "end"))
        rc = fail_el(s, el, "invalid XML element");
    else
        rc = sdf_check_attrs(&s->err, el, ATTRS("pd", "id", "pp", "notify", "setvar_id")) ||
             sdf_required(&s->err, el, "pd", &pdname) || read_id(s, el, &id) ||
             opt_bool(s, el, "notify", true, &notify) || opt_bool(s, el, "pp", false, &pp);
    s->err = saved;
    if (rc) {
        c->err = sdf_strdup(buf);
        return;
    }
    struct chan_end e = { intern_end_name(s, pdname), (uint8_t)id, pp, notify,
                          sdf_strdup(sdf_attr(el, "setvar_id")), el->loc };
    if (c->nends < 2)
        c->e[c->nends] = e;
    else
        c->more = sdf_grow(c->more, c->nends - 2, sizeof *c->more), c->more[c->nends - 2] = e;
    c->nends++;
}

static int start_in_system(struct ps *s, const struct sdf_el *el, struct frame *fr)
{
    fr->kind = F_LEAF;
    if (!strcmp(el->name, "protection_domain")) {
        fr->kind = F_PD;
        fr->idx = (int)s->sys->npds;
        return start_pd(s, el, -1);
    }
    if (!strcmp(el->name, "memory_region"))
        return start_mr(s, el);
    if (!strcmp(el->name, "channel")) {
        fr->kind = F_CHANNEL;
        struct raw_chan *c = SDF_PUSH(s->chans, s->nchans);
        c->loc = el->loc;
        chan_error(s, c, sdf_check_attrs, el, ATTRS(""));
        c->err_first = c->err != NULL;
        return 0;
    }
    if (!strcmp(el->name, "io_address_space")) {
        fr->kind = F_IOAS;
        return start_ioas(s, el, &fr->idx);
    }
    if (!strcmp(el->name, "virtual_machine"))
        return sdf_fail(&s->err, "virtual machine must be a child of a protection domain: %s:%d:%d",
                        s->err.file, el->loc.line, el->loc.col);
    if (!strcmp(el->name, "domains")) {
        if (s->sys->ndomains)
            return sdf_value_error(&s->err, el, "domains must only be specified once");
        fr->kind = F_DOMAINS;
        if (sdf_check_attrs(&s->err, el, ATTRS("")))
            return -1;
        if (s->opt->cores != 1)
            return sdf_fail(&s->err, "The domain scheduler is not supported in multicore builds of seL4");
        return 0;
    }
    return fail_el(s, el, "invalid XML element");
}

static void on_start(void *ctx, const struct sdf_el *el, int depth)
{
    struct ps *s = ctx;
    struct frame *fr = &s->stack[depth];
    struct frame *up = &s->stack[depth - 1];
    fr->kind = F_SKIP;
    fr->idx = -1;
    fr->loc = el->loc;
    snprintf(fr->name, sizeof fr->name, "%s", el->name);
    if (depth == 1) {
        fr->kind = F_SYSTEM;
        if (strcmp(el->name, "system")) {
            fr->kind = F_ROOT_BAD;
            fail_el(s, el, "the root element must be 'system', not");
        }
        return;
    }
    if (s->err.set || up->kind == F_SKIP)
        return;
    switch (up->kind) {
    case F_SYSTEM:
        start_in_system(s, el, fr);
        break;
    case F_PD:
        start_in_pd(s, up->idx, el, fr);
        break;
    case F_VM: {
        struct sdf_vm *vm = &s->sys->vms[up->idx];
        fr->kind = F_LEAF;
        if (!strcmp(el->name, "vcpu"))
            vm_vcpu(s, vm, el);
        else if (!strcmp(el->name, "map")) {
            struct sdf_map m = { 0 };
            read_map(s, el, false, sdf_user_top(s->opt), &m);
            *SDF_PUSH(vm->maps, vm->nmaps) = m;
        } else
            fail_el(s, el, "invalid XML element");
        break;
    }
    case F_CSPACE:
        fr->kind = F_LEAF;
        cspace_cap(s, up->idx, el);
        break;
    case F_IOAS:
        fr->kind = F_LEAF;
        if (!strcmp(el->name, "iomap"))
            ioas_iomap(s, el);
        else
            fail_el(s, el, "invalid XML element");
        break;
    case F_DOMAINS:
        fr->kind = F_LEAF;
        if (!strcmp(el->name, "domain"))
            domains_domain(s, el);
        else if (!strcmp(el->name, "domain_schedule")) {
            if (s->have_sched) {
                sdf_value_error(&s->err, el, "The <domain_schedule> element can only appear once");
                break;
            }
            s->have_sched = true;
            copy_raw(&s->sched.el, el);
            fr->kind = F_SCHED;
        } else
            sdf_fail(&s->err, "invalid XML element as child of <domains> '%s': %s:%d:%d", el->name,
                     s->err.file, el->loc.line, el->loc.col);
        break;
    case F_SCHED:
        copy_raw(SDF_PUSH(s->sched.kids, s->sched.nkids), el);
        break; /* grandchildren are skipped, as the tool ignores them */
    case F_CHANNEL:
        chan_end(s, &s->chans[s->nchans - 1], el);
        break;
    case F_LEAF:
        fail_el(s, el, "invalid XML element");
        break;
    default:
        break;
    }
    if (s->err.set)
        fr->kind = F_SKIP;
}

static void on_end(void *ctx, const char *name, int depth)
{
    struct ps *s = ctx;
    struct frame *fr = &s->stack[depth];
    (void)name;
    struct sdf_system *sys = s->sys;
    if (fr->kind == F_IOAS && fr->idx >= 0 && sys->niomaps && sys->iomaps[sys->niomaps - 1].mr == -2) {
        free(sys->iomaps[sys->niomaps - 1].space); /* drop the template */
        sys->niomaps--;
    }
    if (s->err.set || fr->kind == F_SKIP)
        return;
    if (fr->kind == F_PD) {
        struct sdf_pd *pd = &sys->pds[fr->idx];
        if (!pd->program_image) {
            sdf_fail(&s->err, "missing 'program_image' element on protection_domain: '%s'", pd->name);
            return;
        }
        if (pd->parent >= 0 && pd->setvar_id) {
            struct sdf_el el = { "protection_domain", pd->loc, NULL, 0 };
            add_symbol(s, pd->parent, pd->setvar_id, &el);
        }
    } else if (fr->kind == F_VM) {
        struct sdf_vm *vm = &sys->vms[fr->idx];
        if (!vm->nvcpus) {
            sdf_fail(&s->err, "missing 'vcpu' element on virtual_machine: '%s'", vm->name);
            return;
        }
        struct sdf_el el = { "virtual_machine", vm->loc, NULL, 0 };
        for (size_t i = 0; i < vm->nvcpus; i++)
            if (vm->vcpus[i].setvar_id && add_symbol(s, vm->pd, vm->vcpus[i].setvar_id, &el))
                return;
    } else if (fr->kind == F_DOMAINS) {
        struct sdf_el el = { "domains", fr->loc, NULL, 0 };
        end_domains(s, &el);
    }
}

/* Text belongs nowhere in a system description (the tool checks <system>; we check every
 * element). Reported where the text starts. */
static void on_text(void *ctx, int depth, struct sdf_loc at)
{
    struct ps *s = ctx;
    struct frame *fr = &s->stack[depth];
    sdf_fail(&s->text_err, "unexpected text found in element '%s' @ %s:%d:%d", fr->name,
             s->text_err.file, at.line, at.col);
}

/* ---------------------------------------------------------------- after the file */

/* Channels, read once every PD is known (the tool reads them after flattening the PD tree). */
static int read_channels(struct ps *s, struct sdf_strmap *pd_names)
{
    struct sdf_system *sys = s->sys;
    sys->channels = calloc(s->nchans ? s->nchans : 1, sizeof *sys->channels);
    if (!sys->channels)
        abort();
    for (size_t c = 0; c < s->nchans; c++) {
        struct raw_chan *rc = &s->chans[c];
        struct sdf_el cel = { "channel", rc->loc, NULL, 0 };
        if (rc->err && rc->err_first)
            return sdf_fail(&s->err, "%s", rc->err);
        struct sdf_channel ch = { .loc = rc->loc };
        for (uint32_t k = 0; k < rc->nends; k++) {
            const struct chan_end *e = k < 2 ? &rc->e[k] : &rc->more[k - 2];
            const char *name = s->end_name_list[e->name];
            long pd = sdf_strmap_get(pd_names, name);
            if (pd < 0) {
                struct sdf_el el = { "end", e->loc, NULL, 0 };
                return sdf_value_error(&s->err, &el, "invalid PD name '%s'", name);
            }
            if (k < 2)
                ch.end[k] = (struct sdf_end){ (int)pd, e->id, e->pp, e->notify, NULL };
        }
        if (rc->err)
            return sdf_fail(&s->err, "%s", rc->err);
        if (rc->nkids != 2)
            return sdf_value_error(&s->err, &cel, "exactly two end elements must be specified");
        if (ch.end[0].pp && ch.end[1].pp)
            return sdf_value_error(&s->err, &cel, "cannot ppc bidirectionally");
        struct sdf_channel *dst = &sys->channels[sys->nchannels++];
        *dst = ch;
        for (int k = 0; k < 2; k++)
            if (rc->e[k].setvar_id) {
                if (add_symbol(s, ch.end[k].pd, rc->e[k].setvar_id, &cel))
                    return -1;
                dst->end[k].setvar_id = sdf_strdup(rc->e[k].setvar_id);
            }
    }
    return 0;
}

/* Child ids must be unique under their parent and must not clash with the parent's vCPU ids.
 * The tool checks parent by parent in tree order, so the first parent with a problem wins. */
static int check_child_ids(struct ps *s)
{
    struct sdf_system *sys = s->sys;
    uint64_t *seen = calloc(sys->npds ? sys->npds : 1, sizeof *seen);
    long *bad = malloc((sys->npds ? sys->npds : 1) * sizeof *bad);
    bool *clash = calloc(sys->npds ? sys->npds : 1, sizeof *clash);
    if (!seen || !bad || !clash)
        abort();
    for (size_t i = 0; i < sys->npds; i++)
        bad[i] = -1;
    for (size_t j = 0; j < sys->npds; j++) {
        int p = sys->pds[j].parent;
        if (p < 0 || bad[p] >= 0)
            continue;
        uint64_t bit = 1ULL << sys->pds[j].child_id;
        if (seen[p] & bit) {
            bad[p] = (long)j;
            continue;
        }
        int vmi = sys->pds[p].vm;
        if (vmi >= 0)
            for (size_t k = 0; k < sys->vms[vmi].nvcpus; k++)
                if (sys->vms[vmi].vcpus[k].id == sys->pds[j].child_id) {
                    bad[p] = (long)j;
                    clash[p] = true;
                }
        seen[p] |= bit;
    }
    int rc = 0;
    for (size_t i = 0; i < sys->npds && !rc; i++) {
        if (bad[i] < 0)
            continue;
        const struct sdf_pd *c = &sys->pds[bad[i]];
        rc = sdf_fail(&s->err, clash[i] ? "duplicate id: %u clashes with virtual machine vcpu id in protection domain: '%s' @ %s:%d:%d"
                                        : "duplicate id: %u in protection domain: '%s' @ %s:%d:%d",
                      c->child_id, sys->pds[i].name, s->err.file, c->loc.line, c->loc.col);
    }
    free(seen);
    free(bad);
    free(clash);
    return rc;
}

static int resolve_caps(struct ps *s, struct sdf_strmap *pd_names)
{
    struct sdf_system *sys = s->sys;
    for (size_t i = 0; i < sys->npds; i++)
        for (size_t k = 0; k < sys->pds[i].ncaps; k++) {
            struct sdf_capmap *c = &sys->pds[i].caps[k];
            long pd = sdf_strmap_get(pd_names, c->pd_name);
            if (pd < 0)
                return sdf_fail(&s->err, "unknown PD name '%s': %s:%d:%d", c->pd_name, s->err.file,
                                c->loc.line, c->loc.col);
            c->pd = (int)pd;
        }
    return 0;
}

static void free_ps(struct ps *s)
{
    for (size_t i = 0; i < s->nchans; i++) {
        struct raw_chan *c = &s->chans[i];
        for (uint32_t k = 0; k < c->nends; k++)
            free(k < 2 ? c->e[k].setvar_id : c->more[k - 2].setvar_id);
        free(c->more);
        free(c->err);
    }
    free(s->chans);
    for (size_t i = 0; i < s->nend_names; i++)
        free(s->end_name_list[i]);
    free(s->end_name_list);
    sdf_strmap_free(&s->end_names);
    if (s->have_sched)
        free_group(&s->sched);
    else {
        for (size_t i = 0; i < s->sched.nkids; i++)
            free_raw(&s->sched.kids[i]);
        free(s->sched.kids);
    }
    sdf_strmap_free(&s->symbols);
    sdf_strmap_free(&s->ioas_names);
    sdf_strmap_free(&s->domain_ids);
    sdf_u64set_free(&s->iommu_domain_ids);
    sdf_u64set_free(&s->iommu_devices);
    free(s->dir);
}

int sdf_parse_arch(const char *name, enum sdf_arch *arch)
{
    static const struct { const char *name; enum sdf_arch arch; } names[] = {
        {"aarch64", SDF_AARCH64}, {"riscv64", SDF_RISCV64}, {"x86_64", SDF_X86_64}};
    for (size_t k = 0; k < sizeof names / sizeof *names; k++)
        if (!strcmp(name, names[k].name)) {
            *arch = names[k].arch;
            return 0;
        }
    return -1;
}

void sdf_default_options(struct sdf_options *o)
{
    memset(o, 0, sizeof *o);
    o->arch = SDF_AARCH64;
    o->cores = 1;
    o->iommu = true;
    o->hypervisor = true;
    o->domains = 16;
    o->domain_schedules = SDF_MAX_SCHED_ENTRIES;
    o->arm_pa_bits = 40;
    o->search_paths = NULL;
}

int sdf_find_pd(const struct sdf_system *sys, const char *name)
{
    for (size_t i = 0; i < sys->npds; i++)
        if (!strcmp(sys->pds[i].name, name))
            return (int)i;
    return -1;
}

int sdf_load(const char *file, const struct sdf_options *optp, struct sdf_system *sys, char *err,
             size_t errlen)
{
    static char dummy[1];
    struct sdf_options opt;
    if (optp)
        opt = *optp;
    else
        sdf_default_options(&opt);
    if (!opt.domain_schedules)
        opt.domain_schedules = SDF_MAX_SCHED_ENTRIES;
    if (!opt.arm_pa_bits)
        opt.arm_pa_bits = 40;
    if (opt.domains > 256)
        opt.domains = 256;
    if (!err || !errlen)
        err = dummy, errlen = sizeof dummy;
    err[0] = 0;
    memset(sys, 0, sizeof *sys);
    sys->file = sdf_strdup(file);

    /* Locations name the file as the Microkit tool does: by its name, without directories
     * (the tool's own expected messages say "x.system:10:9" for sdf/x.system). */
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    struct ps s = { .sys = sys, .opt = &opt };
    s.err = (struct sdf_err){ err, errlen, base, false };
    char textbuf[1024];
    s.text_err = (struct sdf_err){ textbuf, sizeof textbuf, base, false };
    for (int i = 0; i <= 256; i++)
        s.id_owner[i] = -1;
    const char *slash = strrchr(file, '/');
    s.dir = slash ? strndup(file, (size_t)(slash - file + 1)) : sdf_strdup("");

    char xmlbuf[1024];
    struct sdf_err xerr = { xmlbuf, sizeof xmlbuf, base, false };
    struct sdf_xml_handler h = { &s, on_start, on_end, on_text };
    int rc = sdf_xml_parse(file, &h, &xerr);
    if (rc) {
        snprintf(err, errlen, "%s", xmlbuf);
    } else if (s.text_err.set) {
        snprintf(err, errlen, "%s", textbuf);
        rc = -1;
    } else if (s.err.set) {
        rc = -1;
    } else {
        struct sdf_strmap pd_names = { 0 };
        for (size_t i = 0; i < sys->npds; i++)
            sdf_strmap_put(&pd_names, sys->pds[i].name, (long)i);
        rc = check_child_ids(&s);
        if (!rc)
            rc = read_channels(&s, &pd_names);
        if (!rc)
            rc = resolve_caps(&s, &pd_names);
        sdf_strmap_free(&pd_names);
        if (!rc)
            rc = sdf_check_system(sys, &opt, &s.err);
    }
    if (!rc) {
        for (size_t i = 0; i < sys->npds; i++) {
            struct sdf_pd *pd = &sys->pds[i];
            sys->nirqs += pd->nirqs;
            pd->image_resolved = resolve(&s, pd->program_image);
            if (!pd->image_resolved)
                warn(sys, "program image '%s' not found", pd->program_image);
        }
    }
    free_ps(&s);
    if (rc)
        sdf_free(sys);
    return rc ? -1 : 0;
}

static void free_maps(struct sdf_map *m, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(m[i].setvar_vaddr);
        free(m[i].setvar_size);
        free(m[i].setvar_prefill_size);
        free(m[i].mr_name);
    }
    free(m);
}

void sdf_free(struct sdf_system *sys)
{
    if (!sys)
        return;
    for (size_t i = 0; i < sys->npds; i++) {
        struct sdf_pd *pd = &sys->pds[i];
        free(pd->program_image);
        free(pd->image_resolved);
        free(pd->program_image_for_symbols);
        free(pd->setvar_id);
        free_maps(pd->maps, pd->nmaps);
        for (size_t k = 0; k < pd->nirqs; k++)
            free(pd->irqs[k].setvar_id);
        free(pd->irqs);
        for (size_t k = 0; k < pd->nsetvars; k++) {
            free(pd->setvars[k].symbol);
            free(pd->setvars[k].region_name);
        }
        free(pd->setvars);
        for (size_t k = 0; k < pd->nioports; k++) {
            free(pd->ioports[k].setvar_id);
            free(pd->ioports[k].setvar_addr);
        }
        free(pd->ioports);
        for (size_t k = 0; k < pd->ncaps; k++)
            free(pd->caps[k].pd_name);
        free(pd->caps);
    }
    free(sys->pds);
    for (size_t i = 0; i < sys->nmrs; i++) {
        free(sys->mrs[i].prefill_path);
        free(sys->mrs[i].prefill_resolved);
    }
    free(sys->mrs);
    for (size_t i = 0; i < sys->nchannels; i++)
        for (int k = 0; k < 2; k++)
            free(sys->channels[i].end[k].setvar_id);
    free(sys->channels);
    for (size_t i = 0; i < sys->nvms; i++) {
        for (size_t k = 0; k < sys->vms[i].nvcpus; k++)
            free(sys->vms[i].vcpus[k].setvar_id);
        free(sys->vms[i].vcpus);
        free_maps(sys->vms[i].maps, sys->vms[i].nmaps);
    }
    free(sys->vms);
    for (size_t i = 0; i < sys->niomaps; i++) {
        free(sys->iomaps[i].space);
        free(sys->iomaps[i].mr_name);
    }
    free(sys->iomaps);
    for (size_t i = 0; i < sys->ndomains; i++)
        free(sys->domains[i].name);
    free(sys->domains);
    free(sys->schedule);
    for (size_t i = 0; i < sys->nwarnings; i++)
        free(sys->warnings[i]);
    free(sys->warnings);
    free(sys->file);
    memset(sys, 0, sizeof *sys);
}
