/* report.c — the text report of a checked system, in the spirit of the Microkit tool's report:
 * what each protection domain is (priority, budget, period, passive, cpu), whom it talks to over
 * which channel ids, what it maps where and with which perms, and its IRQs; then each memory
 * region and who maps it. Written for reading in code review: one fact per line, stable order,
 * no absolute paths, so the diff of two reports shows exactly what changed. Reads only the
 * struct sdf_system that sdf_load() filled. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sdf/report.h"

static const char *plural(size_t n) { return n == 1 ? "" : "s"; }

static void perms_str(unsigned perms, char buf[4])
{
    buf[0] = perms & SDF_PERM_R ? 'r' : '-';
    buf[1] = perms & SDF_PERM_W ? 'w' : '-';
    buf[2] = perms & SDF_PERM_X ? 'x' : '-';
    buf[3] = '\0';
}


/* One end of a channel as seen from a PD: this PD's id and the channel. */
struct pd_chan { unsigned id; const struct sdf_channel *ch; int end; };

static int cmp_pd_chan(const void *a, const void *b)
{
    const struct pd_chan *x = a, *y = b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int cmp_map(const void *a, const void *b)
{
    const struct sdf_map *x = *(const struct sdf_map *const *)a, *y = *(const struct sdf_map *const *)b;
    return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

static int cmp_irq(const void *a, const void *b)
{
    const struct sdf_irq *x = *(const struct sdf_irq *const *)a, *y = *(const struct sdf_irq *const *)b;
    return x->id < y->id ? -1 : x->id > y->id;
}

static void irq_line(FILE *out, const struct sdf_irq *irq)
{
    fprintf(out, "    id %2u: ", irq->id);
    switch (irq->kind) {
    case SDF_IRQ_IOAPIC:
        fprintf(out, "x86 IOAPIC %" PRIu64 " pin %" PRIu64 ", vector %" PRIu64 ", %s, active %s",
                irq->ioapic, irq->pin, irq->vector, irq->level ? "level" : "edge",
                irq->polarity ? "high" : "low");
        break;
    case SDF_IRQ_MSI:
        fprintf(out, "x86 MSI PCI %02" PRIx64 ":%02" PRIx64 ".%" PRIu64 ", handle %" PRIu64
                     ", vector %" PRIu64,
                irq->pci_bus, irq->pci_dev, irq->pci_func, irq->handle, irq->vector);
        break;
    default:
        fprintf(out, "irq %" PRIu64 ", %s-triggered", irq->irq, irq->edge ? "edge" : "level");
        break;
    }
    if (irq->setvar_id)
        fprintf(out, " (setvar_id %s)", irq->setvar_id);
    fputc('\n', out);
}

static void map_line(FILE *out, const struct sdf_system *sys, const struct sdf_map *m, const char *who)
{
    char perms[4];
    perms_str(m->perms, perms);
    fprintf(out, "    vaddr 0x%012" PRIx64 "  size 0x%08" PRIx64 "  %s  %-8s  %s", m->vaddr,
            sys->mrs[m->mr].size, perms, m->cached ? "cached" : "uncached", who);
    if (m->setvar_vaddr)
        fprintf(out, " (setvar_vaddr %s)", m->setvar_vaddr);
    if (m->setvar_size)
        fprintf(out, " (setvar_size %s)", m->setvar_size);
    fputc('\n', out);
}

static void write_pd(FILE *out, const struct sdf_system *sys, size_t p)
{
    const struct sdf_pd *pd = &sys->pds[p];
    fprintf(out, "\n## Protection domain: %s\n", pd->name);
    fprintf(out, "priority:      %u\n", (unsigned)pd->priority);
    fprintf(out, "budget:        %" PRIu64 " us\n", pd->budget);
    fprintf(out, "period:        %" PRIu64 " us\n", pd->period);
    fprintf(out, "passive:       %s\n", pd->passive ? "yes" : "no");
    fprintf(out, "cpu:           %u\n", pd->cpu);
    fprintf(out, "stack size:    0x%" PRIx64 "\n", pd->stack_size);
    if (pd->parent >= 0)
        fprintf(out, "parent:        %s (child id %u)\n", sys->pds[pd->parent].name, pd->child_id);
    else
        fputs("parent:        none\n", out);
    if (pd->domain >= 0 && (size_t)pd->domain < sys->ndomains)
        fprintf(out, "domain:        %s\n", sys->domains[pd->domain].name);
    fprintf(out, "program image: %s\n", pd->program_image ? pd->program_image : "(none)");

    bool children = false;
    for (size_t c = 0; c < sys->npds; c++)
        if (sys->pds[c].parent == (int)p) {
            if (!children)
                fputs("children:\n", out);
            children = true;
            fprintf(out, "    id %2u: %s\n", sys->pds[c].child_id, sys->pds[c].name);
        }

    /* Channels, by this PD's id. */
    struct pd_chan *chans = calloc(sys->nchannels * 2 + 1, sizeof *chans);
    size_t n = 0;
    if (!chans)
        abort();
    for (size_t c = 0; c < sys->nchannels; c++)
        for (int e = 0; e < 2; e++)
            if (sys->channels[c].end[e].pd == (int)p)
                chans[n++] = (struct pd_chan){ sys->channels[c].end[e].id, &sys->channels[c], e };
    qsort(chans, n, sizeof *chans, cmp_pd_chan);
    fprintf(out, "channels:      %zu\n", n);
    for (size_t i = 0; i < n; i++) {
        const struct sdf_end *me = &chans[i].ch->end[chans[i].end];
        const struct sdf_end *other = &chans[i].ch->end[!chans[i].end];
        fprintf(out, "    id %2u <-> %s id %u:", me->id, sys->pds[other->pd].name, other->id);
        const char *sep = " ";
        if (me->pp) {
            fprintf(out, "%sppcalls %s", sep, sys->pds[other->pd].name);
            sep = ", ";
        }
        if (other->pp) {
            fprintf(out, "%sppcalled by %s", sep, sys->pds[other->pd].name);
            sep = ", ";
        }
        const char *them = sys->pds[other->pd].name;
        fprintf(out, "%s%s %s", sep, me->notify ? "notifies" : "does not notify", them);
        fprintf(out, ", %s %s", other->notify ? "notified by" : "not notified by", them);
        if (me->setvar_id)
            fprintf(out, " (setvar_id %s)", me->setvar_id);
        fputc('\n', out);
    }
    free(chans);

    /* Maps, by virtual address. */
    const struct sdf_map **maps = calloc(pd->nmaps + 1, sizeof *maps);
    if (!maps)
        abort();
    for (size_t i = 0; i < pd->nmaps; i++)
        maps[i] = &pd->maps[i];
    qsort(maps, pd->nmaps, sizeof *maps, cmp_map);
    fprintf(out, "maps:          %zu\n", pd->nmaps);
    for (size_t i = 0; i < pd->nmaps; i++)
        map_line(out, sys, maps[i], sys->mrs[maps[i]->mr].name);
    free(maps);

    /* IRQs, by channel id. */
    const struct sdf_irq **irqs = calloc(pd->nirqs + 1, sizeof *irqs);
    if (!irqs)
        abort();
    for (size_t i = 0; i < pd->nirqs; i++)
        irqs[i] = &pd->irqs[i];
    qsort(irqs, pd->nirqs, sizeof *irqs, cmp_irq);
    fprintf(out, "irqs:          %zu\n", pd->nirqs);
    for (size_t i = 0; i < pd->nirqs; i++)
        irq_line(out, irqs[i]);
    free(irqs);

    if (pd->vm >= 0 && (size_t)pd->vm < sys->nvms) {
        const struct sdf_vm *vm = &sys->vms[pd->vm];
        fprintf(out, "virtual machine: %s (priority %u, budget %" PRIu64 " us, period %" PRIu64
                     " us, %zu vcpu%s, %zu map%s)\n",
                vm->name, (unsigned)vm->priority, vm->budget, vm->period, vm->nvcpus,
                plural(vm->nvcpus), vm->nmaps, plural(vm->nmaps));
    }
}

static void write_mr(FILE *out, const struct sdf_system *sys, size_t m)
{
    const struct sdf_mr *mr = &sys->mrs[m];
    fprintf(out, "\n## Memory region: %s\n", mr->name);
    fprintf(out, "size:          0x%" PRIx64 "\n", mr->size);
    fprintf(out, "page size:     0x%" PRIx64 "\n", mr->page_size);
    if (mr->has_phys_addr)
        fprintf(out, "phys addr:     0x%" PRIx64 "\n", mr->phys_addr);
    else
        fputs("phys addr:     (allocated)\n", out);
    if (mr->prefill_path)
        fprintf(out, "prefill:       %s (%" PRIu64 " bytes)\n", mr->prefill_path, mr->prefill_size);
    size_t users = 0;
    for (size_t p = 0; p < sys->npds; p++)
        for (size_t i = 0; i < sys->pds[p].nmaps; i++)
            users += sys->pds[p].maps[i].mr == (int)m;
    fprintf(out, "mapped by:     %zu\n", users);
    for (size_t p = 0; p < sys->npds; p++)
        for (size_t i = 0; i < sys->pds[p].nmaps; i++)
            if (sys->pds[p].maps[i].mr == (int)m)
                map_line(out, sys, &sys->pds[p].maps[i], sys->pds[p].name);
}

int sdf_write_report(const struct sdf_system *sys, FILE *out)
{
    const char *base = strrchr(sys->file, '/');
    base = base ? base + 1 : sys->file;
    fprintf(out, "# hostkit system report: %s\n", base);
    fprintf(out, "protection domains: %zu\n", sys->npds);
    fprintf(out, "channels:           %zu\n", sys->nchannels);
    fprintf(out, "memory regions:     %zu\n", sys->nmrs);
    fprintf(out, "irqs:               %zu\n", sys->nirqs);
    if (sys->nvms)
        fprintf(out, "virtual machines:   %zu\n", sys->nvms);
    for (size_t p = 0; p < sys->npds; p++)
        write_pd(out, sys, p);
    for (size_t m = 0; m < sys->nmrs; m++)
        write_mr(out, sys, m);
    return ferror(out) ? -1 : 0;
}
