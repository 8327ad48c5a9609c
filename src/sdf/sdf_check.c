/* sdf_check.c — the whole-system rules of a system description, checked after every element has
 * been read (sdf.c): unique names, the PD limit, IRQ numbers and channel ids, the ppcall priority
 * rule, I/O ports, virtual address maps, IOMMU maps, cap slots, overlapping physical memory,
 * prefill and region_paddr setvars. The order of the checks is the Microkit tool's, so the first
 * error is the one the tool reports; each check is linear or n log n in the size of the system. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sdf/sdf_priv.h"

#define LARGE_PAGE 0x200000ULL

static const char *loc(const struct sdf_err *e, struct sdf_loc l, char *buf, size_t n)
{
    return sdf_loc_str(e, l, buf, n);
}

/* ---- overlap search: the first interval (in order) overlapping an earlier one ---- */

struct ival { uint64_t start, end; size_t idx; };

static int cmp_ival(const void *a, const void *b)
{
    const struct ival *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return x->end < y->end ? -1 : x->end > y->end;
}

static bool overlaps(uint64_t s1, uint64_t e1, uint64_t s2, uint64_t e2)
{
    return !(s1 >= e2 || e1 <= s2);
}

/* Do any two of the first P intervals overlap? (n log n; exact, empty intervals included) */
static bool prefix_overlaps(const struct ival *v, size_t p, struct ival *tmp)
{
    memcpy(tmp, v, p * sizeof *tmp);
    qsort(tmp, p, sizeof *tmp, cmp_ival);
    uint64_t max_end = 0, strict_max = 0; /* over earlier ones; over those starting strictly before */
    for (size_t i = 0; i < p; i++) {
        if (i && tmp[i].start != tmp[i - 1].start)
            strict_max = max_end;
        if (i && tmp[i].end > tmp[i].start && max_end > tmp[i].start)
            return true;
        if (tmp[i].end == tmp[i].start && strict_max > tmp[i].start)
            return true;
        if (!i || tmp[i].end > max_end)
            max_end = tmp[i].end;
    }
    return false;
}

/* Finds the first i such that v[i] overlaps some v[j], j < i; sets *first_j to the first such j.
 * Returns false when no two intervals overlap. */
static bool first_overlap(const struct ival *v, size_t n, size_t *first_i, size_t *first_j)
{
    if (n < 2)
        return false;
    struct ival *tmp = malloc(n * sizeof *tmp);
    if (!tmp)
        abort();
    bool found = false;
    if (prefix_overlaps(v, n, tmp)) {
        size_t lo = 2, hi = n; /* smallest p with an overlap lies in [lo, hi] */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (prefix_overlaps(v, mid, tmp))
                hi = mid;
            else
                lo = mid + 1;
        }
        size_t i = lo - 1;
        for (size_t j = 0; j < i; j++)
            if (overlaps(v[i].start, v[i].end, v[j].start, v[j].end)) {
                *first_i = i;
                *first_j = j;
                found = true;
                break;
            }
    }
    free(tmp);
    return found;
}

/* ---- maps ---- */

struct mapref {
    const char *mr_name;
    uint64_t addr;
    struct sdf_loc loc;
    int *mr_out;
};

struct map_kind { const char *element, *addr_name, *range_name; };
static const struct map_kind VMAP = { "map", "vaddr", "virtual address range" };
static const struct map_kind IOMAP = { "iomap", "iovaddr", "io address range" };

static int check_maps(const struct sdf_system *sys, struct sdf_err *e, const struct sdf_strmap *mrs,
                      struct mapref *m, size_t n, const struct map_kind *k, const char *space,
                      uint64_t max_end)
{
    char lb[600], lb2[600];
    struct ival *iv = malloc((n ? n : 1) * sizeof *iv);
    if (!iv)
        abort();
    size_t bad = n;
    int rc = 0;
    for (size_t i = 0; i < n && bad == n; i++) {
        long mi = sdf_strmap_get(mrs, m[i].mr_name);
        if (mi < 0) {
            bad = i;
            break;
        }
        const struct sdf_mr *mr = &sys->mrs[mi];
        if (m[i].addr % mr->page_size || m[i].addr + mr->size < m[i].addr ||
            m[i].addr + mr->size > max_end) {
            bad = i;
            break;
        }
        *m[i].mr_out = (int)mi;
        iv[i] = (struct ival){ m[i].addr, m[i].addr + mr->size, i };
    }
    size_t oi, oj;
    if (first_overlap(iv, bad, &oi, &oj)) {
        rc = sdf_fail(e, "map for '%s' has %s [0x%llx..0x%llx) which overlaps with map for '%s' [0x%llx..0x%llx) in %s @ %s",
                      m[oi].mr_name, k->range_name, (unsigned long long)iv[oi].start,
                      (unsigned long long)iv[oi].end, m[oj].mr_name, (unsigned long long)iv[oj].start,
                      (unsigned long long)iv[oj].end, space, loc(e, m[oi].loc, lb, sizeof lb));
    } else if (bad < n) {
        struct mapref *b = &m[bad];
        long mi = sdf_strmap_get(mrs, b->mr_name);
        loc(e, b->loc, lb, sizeof lb);
        if (mi < 0) {
            rc = sdf_fail(e, "invalid memory region name '%s' on '%s' @ %s", b->mr_name, k->element, lb);
        } else {
            const struct sdf_mr *mr = &sys->mrs[mi];
            if (b->addr % mr->page_size)
                rc = sdf_fail(e, "invalid %s alignment on '%s' @ %s", k->addr_name, k->element, lb);
            else if (b->addr + mr->size < b->addr)
                rc = sdf_fail(e, "%s for '%s' has address range that overflows @ %s", k->element,
                              b->mr_name, lb);
            else
                rc = sdf_fail(e, "%s for '%s' has %s [0x%llx..0x%llx) which exceeds valid address space [0x0..0x%llx) @ %s",
                              k->element, b->mr_name, k->range_name, (unsigned long long)b->addr,
                              (unsigned long long)(b->addr + mr->size), (unsigned long long)max_end, lb);
        }
    }
    (void)lb2;
    free(iv);
    return rc;
}

static int check_vmaps(const struct sdf_system *sys, struct sdf_err *e, const struct sdf_strmap *mrs,
                       struct sdf_map *maps, size_t n, const char *space, uint64_t max_end)
{
    struct mapref *m = malloc((n ? n : 1) * sizeof *m);
    if (!m)
        abort();
    for (size_t i = 0; i < n; i++)
        m[i] = (struct mapref){ maps[i].mr_name, maps[i].vaddr, maps[i].loc, &maps[i].mr };
    int rc = check_maps(sys, e, mrs, m, n, &VMAP, space, max_end);
    free(m);
    return rc;
}

static int check_iomaps(struct sdf_system *sys, struct sdf_err *e, const struct sdf_strmap *mrs)
{
    for (size_t i = 0; i < sys->niomaps; i++) {
        long mi = sdf_strmap_get(mrs, sys->iomaps[i].mr_name);
        if (mi >= 0 && sys->mrs[mi].page_size == LARGE_PAGE)
            return sdf_fail(e, "currently seL4 does not have large page support for the IOMMU");
    }
    /* one address space per device, in order of first appearance */
    bool *done = calloc(sys->niomaps ? sys->niomaps : 1, 1);
    struct mapref *m = malloc((sys->niomaps ? sys->niomaps : 1) * sizeof *m);
    if (!done || !m)
        abort();
    int rc = 0;
    for (size_t i = 0; i < sys->niomaps && !rc; i++) {
        if (done[i])
            continue;
        size_t n = 0;
        for (size_t j = i; j < sys->niomaps; j++)
            if (!done[j] && !strcmp(sys->iomaps[j].space, sys->iomaps[i].space)) {
                done[j] = true;
                struct sdf_iomap *io = &sys->iomaps[j];
                m[n++] = (struct mapref){ io->mr_name, io->iovaddr, io->loc, &io->mr };
            }
        char space[64];
        snprintf(space, sizeof space, "PCI device %02x:%02x.%x", sys->iomaps[i].pci_bus,
                 sys->iomaps[i].pci_dev, sys->iomaps[i].pci_func);
        rc = check_maps(sys, e, mrs, m, n, &IOMAP, space, SDF_MAX_IOVA + 1);
    }
    free(done);
    free(m);
    return rc;
}

/* ---- the checks, in the tool's order ---- */

static int check_names(struct sdf_system *sys, struct sdf_err *e, struct sdf_strmap *mr_names)
{
    if (!sys->npds)
        return sdf_fail(e, "at least one protection domain must be defined");
    if (sys->npds > SDF_MAX_PDS)
        return sdf_fail(e, "too many protection domains (%zu) defined. Maximum is %d.", sys->npds,
                        SDF_MAX_PDS);
    struct sdf_strmap names = { 0 };
    int rc = 0;
    bool *dup = calloc(sys->npds, 1);
    if (!dup)
        abort();
    for (size_t i = 0; i < sys->npds; i++) {
        long first = sdf_strmap_put(&names, sys->pds[i].name, (long)i);
        if (first >= 0)
            dup[first] = true;
    }
    for (size_t i = 0; i < sys->npds && !rc; i++) {
        if (dup[i])
            rc = sdf_fail(e, "duplicate protection domain name '%s'.", sys->pds[i].name);
        else if (!strcmp(sys->pds[i].name, "monitor"))
            rc = sdf_fail(e, "the PD name 'monitor' is reserved for the Microkit Monitor.");
    }
    free(dup);
    sdf_strmap_free(&names);
    if (rc)
        return rc;
    bool *mdup = calloc(sys->nmrs ? sys->nmrs : 1, 1);
    if (!mdup)
        abort();
    for (size_t i = 0; i < sys->nmrs; i++) {
        long first = sdf_strmap_put(mr_names, sys->mrs[i].name, (long)i);
        if (first >= 0)
            mdup[first] = true;
    }
    for (size_t i = 0; i < sys->nmrs && !rc; i++)
        if (mdup[i])
            rc = sdf_fail(e, "duplicate memory region name '%s'.", sys->mrs[i].name);
    free(mdup);
    return rc;
}

static int check_vms(struct sdf_system *sys, const struct sdf_options *o, struct sdf_err *e)
{
    struct sdf_strmap names = { 0 };
    int rc = 0;
    bool *has_children = calloc(sys->npds, 1);
    if (!has_children)
        abort();
    for (size_t i = 0; i < sys->npds; i++)
        if (sys->pds[i].parent >= 0)
            has_children[sys->pds[i].parent] = true;
    for (size_t i = 0; i < sys->npds && !rc; i++) {
        const struct sdf_pd *pd = &sys->pds[i];
        if (pd->vm < 0)
            continue;
        if (sdf_strmap_put(&names, sys->vms[pd->vm].name, 1) >= 0)
            rc = sdf_fail(e, "duplicate virtual machine name '%s'.", sys->vms[pd->vm].name);
        else if (o->arch == SDF_X86_64 && has_children[i]) {
            char lb[600];
            rc = sdf_fail(e, "It is not possible for PD '%s' with a bound vCPU to have children on x86_64: %s",
                          pd->name, loc(e, pd->loc, lb, sizeof lb));
        }
    }
    free(has_children);
    sdf_strmap_free(&names);
    return rc;
}

static uint64_t irq_num(const struct sdf_irq *q)
{
    return q->kind == SDF_IRQ_CONVENTIONAL ? q->irq : q->vector;
}

static int check_ids(struct sdf_system *sys, const struct sdf_options *o, struct sdf_err *e)
{
    char lb[600];
    struct sdf_u64set irqs = { 0 };
    int rc = 0;
    for (size_t i = 0; i < sys->npds && !rc; i++)
        for (size_t k = 0; k < sys->pds[i].nirqs && !rc; k++)
            if (sdf_u64set_add(&irqs, irq_num(&sys->pds[i].irqs[k])))
                rc = sdf_fail(e, "duplicate irq: %llu in protection domain: '%s' @ %s",
                              (unsigned long long)irq_num(&sys->pds[i].irqs[k]), sys->pds[i].name,
                              loc(e, sys->pds[i].loc, lb, sizeof lb));
    sdf_u64set_free(&irqs);
    if (rc)
        return rc;
    /* x86: one I/O APIC pin, and one PCI function for MSIs, can only be handed out once */
    struct sdf_u64set pins = { 0 }, devs = { 0 };
    for (size_t i = 0; i < sys->npds && !rc; i++)
        for (size_t k = 0; k < sys->pds[i].nirqs && !rc; k++) {
            const struct sdf_irq *q = &sys->pds[i].irqs[k];
            if (q->kind == SDF_IRQ_IOAPIC && sdf_u64set_add(&pins, q->ioapic << 32 | q->pin))
                rc = sdf_fail(e, "duplicate I/O APIC pin: ioapic %llu pin %llu in protection domain: '%s' @ %s",
                              (unsigned long long)q->ioapic, (unsigned long long)q->pin,
                              sys->pds[i].name, loc(e, q->loc, lb, sizeof lb));
            else if (q->kind == SDF_IRQ_MSI &&
                     sdf_u64set_add(&devs, q->pci_bus << 16 | q->pci_dev << 8 | q->pci_func))
                rc = sdf_fail(e, "duplicate MSI PCI device: %02llx:%02llx.%llx in protection domain: '%s' @ %s",
                              (unsigned long long)q->pci_bus, (unsigned long long)q->pci_dev,
                              (unsigned long long)q->pci_func, sys->pds[i].name,
                              loc(e, q->loc, lb, sizeof lb));
        }
    sdf_u64set_free(&pins);
    sdf_u64set_free(&devs);
    if (rc)
        return rc;
    uint64_t *ids = calloc(sys->npds, sizeof *ids);
    if (!ids)
        abort();
    for (size_t i = 0; i < sys->npds && !rc; i++)
        for (size_t k = 0; k < sys->pds[i].nirqs && !rc; k++) {
            unsigned id = sys->pds[i].irqs[k].id;
            if (ids[i] >> id & 1)
                rc = sdf_fail(e, "duplicate channel id: %u in protection domain: '%s' @ %s", id,
                              sys->pds[i].name, loc(e, sys->pds[i].loc, lb, sizeof lb));
            ids[i] |= 1ULL << id;
        }
    for (size_t c = 0; c < sys->nchannels && !rc; c++) {
        const struct sdf_channel *ch = &sys->channels[c];
        for (int k = 0; k < 2 && !rc; k++) {
            const struct sdf_end *end = &ch->end[k];
            if (ids[end->pd] >> end->id & 1)
                rc = sdf_fail(e, "duplicate channel id: %u in protection domain: '%s' @ %s", end->id,
                              sys->pds[end->pd].name, loc(e, sys->pds[end->pd].loc, lb, sizeof lb));
        }
        if (rc)
            break;
        const struct sdf_pd *a = &sys->pds[ch->end[0].pd], *b = &sys->pds[ch->end[1].pd];
        for (int k = 0; k < 2 && !rc; k++) {
            const struct sdf_pd *from = k ? b : a, *to = k ? a : b;
            if (ch->end[k].pp && from->priority >= to->priority)
                rc = sdf_fail(e, "PPCs must be to protection domains of strictly higher priorities; channel with PPC exists from pd %s (priority: %u) to pd %s (priority: %u)",
                              from->name, from->priority, to->name, to->priority);
        }
        if (rc)
            break;
        if (o->arch == SDF_X86_64 &&
            ((ch->end[0].pp && b->vm >= 0) || (ch->end[1].pp && a->vm >= 0)))
            rc = sdf_fail(e, "It is not possible to PPC to PD '%s' with a bound vCPU from PD '%s' on x86_64 @ %s",
                          ch->end[0].pp ? b->name : a->name, ch->end[0].pp ? a->name : b->name,
                          loc(e, a->loc, lb, sizeof lb));
        ids[ch->end[0].pd] |= 1ULL << ch->end[0].id;
        ids[ch->end[1].pd] |= 1ULL << ch->end[1].id;
    }
    free(ids);
    return rc;
}

static int check_ioports(struct sdf_system *sys, struct sdf_err *e)
{
    char lb[600], lb2[600];
    for (size_t i = 0; i < sys->npds; i++) {
        uint64_t seen = 0;
        for (size_t k = 0; k < sys->pds[i].nioports; k++) {
            unsigned id = sys->pds[i].ioports[k].id;
            if (seen >> id & 1)
                return sdf_fail(e, "duplicate I/O port id: %u in protection domain: '%s' @ %s", id,
                                sys->pds[i].name, loc(e, sys->pds[i].loc, lb, sizeof lb));
            seen |= 1ULL << id;
        }
    }
    /* at most 62 ports per PD and 63 PDs here, so the pairwise check stays small */
    for (size_t i = 0; i < sys->npds; i++)
        for (size_t k = 0; k < sys->pds[i].nioports; k++) {
            const struct sdf_ioport *p = &sys->pds[i].ioports[k];
            for (size_t j = 0; j <= i; j++)
                for (size_t l = 0; l < (j == i ? k : sys->pds[j].nioports); l++) {
                    const struct sdf_ioport *q = &sys->pds[j].ioports[l];
                    if (p->addr < q->addr + q->size && q->addr < p->addr + p->size)
                        return sdf_fail(e, "I/O port id: %u, half-open range: [0x%llx, 0x%llx) in protection domain: '%s' @ %s overlaps with I/O port id: %u, half-open range: [0x%llx, 0x%llx) in protection domain: '%s' @ %s",
                                        p->id, (unsigned long long)p->addr,
                                        (unsigned long long)(p->addr + p->size), sys->pds[i].name,
                                        loc(e, p->loc, lb, sizeof lb), q->id,
                                        (unsigned long long)q->addr,
                                        (unsigned long long)(q->addr + q->size), sys->pds[j].name,
                                        loc(e, q->loc, lb2, sizeof lb2));
                }
        }
    return 0;
}

static const char *cap_kind_name(enum sdf_cap_kind k)
{
    return k == SDF_CAP_TCB ? "Tcb" : k == SDF_CAP_SC ? "Sc" : "VSpace";
}

static int check_caps(struct sdf_system *sys, struct sdf_err *e)
{
    for (size_t i = 0; i < sys->npds; i++) {
        const struct sdf_pd *pd = &sys->pds[i];
        unsigned count[SDF_CAP_MAX_SLOT] = { 0 };
        for (size_t k = 0; k < pd->ncaps; k++)
            count[pd->caps[k].slot]++;
        for (unsigned slot = 0; slot < SDF_CAP_MAX_SLOT; slot++) {
            if (count[slot] < 2)
                continue;
            char msg[4096], lb[600];
            int n = snprintf(msg, sizeof msg, "overlapping user caps in slot %u of protection domain '%s':",
                             slot, pd->name);
            for (size_t k = 0; k < pd->ncaps && n < (int)sizeof msg; k++)
                if (pd->caps[k].slot == slot)
                    n += snprintf(msg + n, sizeof msg - (size_t)n, "\n  type %s from '%s' at '%s'",
                                  cap_kind_name(pd->caps[k].kind), pd->caps[k].pd_name,
                                  loc(e, pd->caps[k].loc, lb, sizeof lb));
            return sdf_fail(e, "%s", msg);
        }
    }
    return 0;
}

static int check_phys(struct sdf_system *sys, struct sdf_err *e)
{
    struct ival *iv = malloc((sys->nmrs ? sys->nmrs : 1) * sizeof *iv);
    if (!iv)
        abort();
    size_t n = 0;
    for (size_t i = 0; i < sys->nmrs; i++)
        if (sys->mrs[i].has_phys_addr) {
            uint64_t end = sys->mrs[i].phys_addr + sys->mrs[i].size;
            if (end < sys->mrs[i].phys_addr)
                end = UINT64_MAX;
            iv[n++] = (struct ival){ sys->mrs[i].phys_addr, end, i };
        }
    size_t oi, oj;
    int rc = 0;
    if (first_overlap(iv, n, &oi, &oj)) {
        char lb[600];
        const struct sdf_mr *a = &sys->mrs[iv[oi].idx], *b = &sys->mrs[iv[oj].idx];
        rc = sdf_fail(e, "memory region '%s' physical address range [0x%llx..0x%llx) overlaps with another memory region '%s' [0x%llx..0x%llx) @ %s",
                      a->name, (unsigned long long)iv[oi].start, (unsigned long long)iv[oi].end,
                      b->name, (unsigned long long)iv[oj].start, (unsigned long long)iv[oj].end,
                      loc(e, a->loc, lb, sizeof lb));
    }
    free(iv);
    return rc;
}

/* Unused regions are warned about; regions without a given page size get large pages when
 * their size and every address they are mapped at allow it (as the tool does). */
static void finish_mrs(struct sdf_system *sys)
{
    if (!sys->nmrs)
        return;
    size_t *uses = calloc(sys->nmrs, sizeof *uses);
    bool *misaligned = calloc(sys->nmrs, 1), *iomapped = calloc(sys->nmrs, 1);
    if (!uses || !misaligned || !iomapped)
        abort();
    for (size_t i = 0; i < sys->npds; i++) {
        const struct sdf_pd *pd = &sys->pds[i];
        for (int pass = 0; pass < 2; pass++) {
            const struct sdf_map *maps = pass ? (pd->vm >= 0 ? sys->vms[pd->vm].maps : NULL) : pd->maps;
            size_t n = pass ? (pd->vm >= 0 ? sys->vms[pd->vm].nmaps : 0) : pd->nmaps;
            for (size_t k = 0; k < n; k++) {
                uses[maps[k].mr]++;
                if (maps[k].vaddr % LARGE_PAGE)
                    misaligned[maps[k].mr] = true;
            }
        }
    }
    for (size_t i = 0; i < sys->niomaps; i++)
        iomapped[sys->iomaps[i].mr] = true;
    for (size_t i = 0; i < sys->nmrs; i++) {
        struct sdf_mr *mr = &sys->mrs[i];
        if (!uses[i]) {
            char *w;
            if (asprintf(&w, "unused memory region '%s'", mr->name) < 0)
                abort();
            *SDF_PUSH(sys->warnings, sys->nwarnings) = w;
        }
        if (mr->page_size_given || iomapped[i] || mr->page_size == LARGE_PAGE || mr->size % LARGE_PAGE)
            continue;
        if (!misaligned[i] && (!mr->has_phys_addr || mr->phys_addr % LARGE_PAGE == 0))
            mr->page_size = LARGE_PAGE;
    }
    free(uses);
    free(misaligned);
    free(iomapped);
}

static int check_setvars(struct sdf_system *sys, const struct sdf_options *o, struct sdf_err *e,
                         const struct sdf_strmap *mrs)
{
    char lb[600];
    for (size_t i = 0; i < sys->npds; i++)
        for (size_t k = 0; k < sys->pds[i].nmaps; k++) {
            const struct sdf_map *m = &sys->pds[i].maps[k];
            const struct sdf_mr *mr = &sys->mrs[m->mr];
            if (m->setvar_prefill_size && !mr->prefill_path)
                return sdf_fail(e, "'setvar_prefill_size' used for MR without a `prefill_path` @ '%s' %s",
                                mr->name, loc(e, mr->loc, lb, sizeof lb));
        }
    bool *paddr_used = calloc(sys->nmrs ? sys->nmrs : 1, 1);
    if (!paddr_used)
        abort();
    int rc = 0;
    for (size_t i = 0; i < sys->npds; i++)
        for (size_t k = 0; k < sys->pds[i].nsetvars; k++) {
            struct sdf_setvar *sv = &sys->pds[i].setvars[k];
            long mi = sdf_strmap_get(mrs, sv->region_name);
            sv->region_paddr = (int)mi;
            if (mi >= 0)
                paddr_used[mi] = true;
        }
    for (size_t i = 0; i < sys->nmrs && !rc; i++)
        if (paddr_used[i] && !sys->mrs[i].has_phys_addr && o->arch == SDF_X86_64)
            rc = sdf_fail(e, "setvar with 'region_paddr' for MR without a specified paddr is unsupported on x86-64 @ '%s' %s",
                          sys->mrs[i].name, loc(e, sys->mrs[i].loc, lb, sizeof lb));
    free(paddr_used);
    for (size_t i = 0; i < sys->npds && !rc; i++)
        for (size_t k = 0; k < sys->pds[i].nsetvars && !rc; k++) {
            const struct sdf_setvar *sv = &sys->pds[i].setvars[k];
            if (sv->region_paddr < 0)
                rc = sdf_fail(e, "invalid memory region name '%s' on 'setvar' @ %s", sv->region_name,
                              loc(e, sv->loc, lb, sizeof lb));
        }
    return rc;
}

int sdf_check_system(struct sdf_system *sys, const struct sdf_options *o, struct sdf_err *e)
{
    struct sdf_strmap mrs = { 0 };
    int rc = check_names(sys, e, &mrs);
    if (!rc)
        rc = check_vms(sys, o, e);
    if (!rc)
        rc = check_ids(sys, o, e);
    if (!rc)
        rc = check_ioports(sys, e);
    for (size_t i = 0; i < sys->npds && !rc; i++) {
        struct sdf_pd *pd = &sys->pds[i];
        char space[128];
        snprintf(space, sizeof space, "protection domain '%s'", pd->name);
        rc = check_vmaps(sys, e, &mrs, pd->maps, pd->nmaps, space,
                         sdf_pd_map_max_vaddr(o, pd->stack_size));
        if (!rc && pd->vm >= 0) {
            struct sdf_vm *vm = &sys->vms[pd->vm];
            snprintf(space, sizeof space, "virtual machine '%s'", vm->name);
            rc = check_vmaps(sys, e, &mrs, vm->maps, vm->nmaps, space, sdf_user_top(o));
        }
    }
    if (!rc)
        rc = check_iomaps(sys, e, &mrs);
    if (!rc)
        rc = check_caps(sys, e);
    if (!rc)
        rc = check_phys(sys, e);
    if (!rc)
        finish_mrs(sys);
    if (!rc)
        rc = check_setvars(sys, o, e, &mrs);
    sdf_strmap_free(&mrs);
    return rc;
}
