/* graph.c — `hostkit graph`: draws a system description as a Graphviz graph.
 *
 * The system is read only through sdf_load() (struct sdf_system); this file turns it into DOT:
 *   - each protection domain is a box with its name, priority, cpu, and "passive" when it is;
 *     a PD with children becomes a cluster holding its own box and its children (recursively);
 *   - each channel is an edge between its two PDs, with each end's channel id written at that end;
 *     a channel with a pp end has an arrow from the caller to the callee (labelled "ppcall"),
 *     a notify-only channel has no arrowhead;
 *   - each memory region is a note with its size (and physical address when fixed), joined to every
 *     PD that maps it by a dotted line labelled with the perms and the virtual address;
 *   - each IRQ is a small node pointing at its PD, labelled with the IRQ and the PD's channel id.
 * DOT goes to stdout or to FILE.dot; FILE.svg and FILE.png are rendered by Graphviz's `dot`. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"
#include "sdf/sdf.h"

static int usage(FILE *f, int code)
{
    fputs("usage: hostkit graph [-o FILE.dot|FILE.svg|FILE.png] [--search-path DIR]... SYSTEM\n"
          "Draws the system description SYSTEM: protection domains (children nested in their\n"
          "parent), channels with both ids and an arrow for ppcall, memory regions with the PDs\n"
          "that map them, IRQs. Writes Graphviz DOT to stdout, or to FILE with -o; .svg and .png\n"
          "are rendered with Graphviz's `dot` (Debian: apt-get install graphviz).\n"
          "  -o, --output FILE    write FILE (.dot, .svg or .png) instead of DOT on stdout\n"
          "  --search-path DIR    look for program images in DIR too (repeatable)\n"
          "  -h, --help           this help\n"
          "Example: hostkit graph -o ipc.svg examples/ipc/ipc.system\n",
          f);
    return code;
}

/* Writes S as the inside of a DOT double-quoted string. */
static void put_quoted(FILE *out, const char *s)
{
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        if (*s == '\n')
            fputs("\\n", out);
        else
            fputc(*s, out);
    }
}

static void perms_str(unsigned perms, char buf[4])
{
    size_t n = 0;
    if (perms & SDF_PERM_R) buf[n++] = 'r';
    if (perms & SDF_PERM_W) buf[n++] = 'w';
    if (perms & SDF_PERM_X) buf[n++] = 'x';
    if (!n) buf[n++] = '-';
    buf[n] = '\0';
}

/* A size the way people write it: 4 KiB, 2 MiB, or hex when not a whole unit. */
static void size_str(uint64_t size, char *buf, size_t len)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
    unsigned u = 0;
    uint64_t v = size;
    while (v >= 1024 && v % 1024 == 0 && u < 4) {
        v /= 1024;
        u++;
    }
    if (u == 0 && size >= 1024)
        snprintf(buf, len, "0x%" PRIx64, size);
    else
        snprintf(buf, len, "%" PRIu64 " %s", v, units[u]);
}

static bool has_children(const struct sdf_system *sys, size_t pd)
{
    for (size_t i = 0; i < sys->npds; i++)
        if (sys->pds[i].parent == (int)pd)
            return true;
    return false;
}

static void indent(FILE *out, int depth)
{
    for (int i = 0; i < depth; i++)
        fputs("  ", out);
}

static void pd_node(FILE *out, const struct sdf_system *sys, size_t i, int depth)
{
    const struct sdf_pd *pd = &sys->pds[i];
    char label[256];
    int n = snprintf(label, sizeof label, "%s\nprio %u", pd->name, (unsigned)pd->priority);
    if (pd->passive)
        n += snprintf(label + n, sizeof label - (size_t)n, ", passive");
    n += snprintf(label + n, sizeof label - (size_t)n, "\ncpu %u", pd->cpu);
    if (pd->parent >= 0)
        snprintf(label + n, sizeof label - (size_t)n, ", child id %u", pd->child_id);
    indent(out, depth);
    fprintf(out, "pd%zu [shape=box, style=\"%s\", fillcolor=\"%s\", label=\"", i,
            pd->passive ? "rounded,filled,dashed" : "rounded,filled",
            pd->passive ? "#eef3fb" : "#dce8f8");
    put_quoted(out, label);
    fputs("\"];\n", out);
}

/* Writes PD i: a plain node, or a cluster holding its node and its children. */
static void pd_tree(FILE *out, const struct sdf_system *sys, size_t i, int depth)
{
    if (!has_children(sys, i)) {
        pd_node(out, sys, i, depth);
        return;
    }
    indent(out, depth);
    fprintf(out, "subgraph cluster_pd%zu {\n", i);
    indent(out, depth + 1);
    fputs("label=\"", out);
    put_quoted(out, sys->pds[i].name);
    fputs(" and its children\"; style=\"rounded,dashed\"; color=\"#5577aa\";\n", out);
    pd_node(out, sys, i, depth + 1);
    for (size_t c = 0; c < sys->npds; c++)
        if (sys->pds[c].parent == (int)i)
            pd_tree(out, sys, c, depth + 1);
    indent(out, depth);
    fputs("}\n", out);
}

static void channel_edge(FILE *out, const struct sdf_system *sys, const struct sdf_channel *ch)
{
    /* The edge runs from end 0 to end 1, or from the pp end to the other one. */
    const struct sdf_end *a = &ch->end[0], *b = &ch->end[1];
    if (b->pp && !a->pp) {
        a = &ch->end[1];
        b = &ch->end[0];
    }
    const char *dir = a->pp ? (b->pp ? "both" : "forward") : "none";
    fprintf(out, "  pd%d -> pd%d [dir=%s, color=\"%s\", penwidth=%s, taillabel=\"%u\", headlabel=\"%u\"",
            a->pd, b->pd, dir, a->pp ? "#aa3322" : "#333333", a->pp ? "2" : "1", a->id, b->id);
    /* The middle label: "ppcall" and which end may not notify. */
    char label[2 * SDF_NAME_MAX + 64] = "";
    size_t n = 0;
    if (a->pp)
        n += (size_t)snprintf(label + n, sizeof label - n, "ppcall");
    for (int e = 0; e < 2; e++) {
        const struct sdf_end *end = e ? b : a;
        if (!end->notify && n < sizeof label)
            n += (size_t)snprintf(label + n, sizeof label - n, "%s%s: no notify", n ? "\n" : "",
                                  sys->pds[end->pd].name);
    }
    if (*label) {
        fputs(", label=\"", out);
        put_quoted(out, label);
        fprintf(out, "\", fontcolor=\"%s\"", a->pp ? "#aa3322" : "#333333");
    }
    fputs(", tooltip=\"", out);
    put_quoted(out, sys->pds[ch->end[0].pd].name);
    fprintf(out, " id %u <-> ", ch->end[0].id);
    put_quoted(out, sys->pds[ch->end[1].pd].name);
    fprintf(out, " id %u\"];\n", ch->end[1].id);
}

static void irq_node(FILE *out, size_t pd, size_t k, const struct sdf_irq *irq)
{
    char label[128];
    switch (irq->kind) {
    case SDF_IRQ_IOAPIC:
        snprintf(label, sizeof label, "IOAPIC %" PRIu64 " pin %" PRIu64 "\nvector %" PRIu64,
                 irq->ioapic, irq->pin, irq->vector);
        break;
    case SDF_IRQ_MSI:
        snprintf(label, sizeof label, "MSI %02" PRIx64 ":%02" PRIx64 ".%" PRIu64 "\nvector %" PRIu64,
                 irq->pci_bus, irq->pci_dev, irq->pci_func, irq->vector);
        break;
    default:
        snprintf(label, sizeof label, "IRQ %" PRIu64 "\n%s", irq->irq, irq->edge ? "edge" : "level");
        break;
    }
    fprintf(out, "  irq%zu_%zu [shape=cds, style=filled, fillcolor=\"#fbe3c8\", fontsize=9, label=\"",
            pd, k);
    put_quoted(out, label);
    fprintf(out, "\"];\n  irq%zu_%zu -> pd%zu [color=\"#cc7a22\", fontcolor=\"#cc7a22\", "
                 "headlabel=\"%u\"];\n",
            pd, k, pd, irq->id);
}

/* Writes the whole graph. */
static void write_dot(FILE *out, const struct sdf_system *sys)
{
    const char *base = strrchr(sys->file, '/');
    base = base ? base + 1 : sys->file;
    fputs("digraph system {\n", out);
    fputs("  graph [rankdir=LR, compound=true, nodesep=0.4, ranksep=0.9, fontname=\"Helvetica\", "
          "fontsize=12, labelloc=t, label=\"",
          out);
    put_quoted(out, base);
    fprintf(out, ": %zu PD%s, %zu channel%s, %zu memory region%s, %zu IRQ%s\"];\n", sys->npds,
            sys->npds == 1 ? "" : "s", sys->nchannels, sys->nchannels == 1 ? "" : "s", sys->nmrs,
            sys->nmrs == 1 ? "" : "s", sys->nirqs, sys->nirqs == 1 ? "" : "s");
    fputs("  node [fontname=\"Helvetica\", fontsize=10];\n"
          "  edge [fontname=\"Helvetica\", fontsize=9, labelfontsize=9, labeldistance=2];\n",
          out);

    fputs("  // protection domains (children inside their parent's cluster)\n", out);
    for (size_t i = 0; i < sys->npds; i++)
        if (sys->pds[i].parent < 0)
            pd_tree(out, sys, i, 1);

    fputs("  // channels: an id at each end; ppcall arrows point from caller to callee\n", out);
    for (size_t c = 0; c < sys->nchannels; c++)
        channel_edge(out, sys, &sys->channels[c]);

    fputs("  // memory regions, joined to the PDs that map them (perms @ vaddr)\n", out);
    for (size_t m = 0; m < sys->nmrs; m++) {
        const struct sdf_mr *mr = &sys->mrs[m];
        char size[32], page[32], label[256];
        size_str(mr->size, size, sizeof size);
        size_str(mr->page_size, page, sizeof page);
        int n = snprintf(label, sizeof label, "%s\n%s (pages %s)", mr->name, size, page);
        if (mr->has_phys_addr)
            snprintf(label + n, sizeof label - (size_t)n, "\nphys 0x%" PRIx64, mr->phys_addr);
        fprintf(out, "  mr%zu [shape=note, style=filled, fillcolor=\"#e4f2dc\", fontsize=9, label=\"", m);
        put_quoted(out, label);
        fputs("\"];\n", out);
    }
    for (size_t i = 0; i < sys->npds; i++) {
        const struct sdf_pd *pd = &sys->pds[i];
        for (size_t k = 0; k < pd->nmaps; k++) {
            char perms[4];
            perms_str(pd->maps[k].perms, perms);
            fprintf(out, "  pd%zu -> mr%d [dir=none, style=dashed, color=\"#4a8a3a\", "
                         "fontcolor=\"#2f6a22\", label=\"%s @ 0x%" PRIx64 "%s\"];\n",
                    i, pd->maps[k].mr, perms, pd->maps[k].vaddr, pd->maps[k].cached ? "" : ", uncached");
        }
    }

    if (sys->nirqs)
        fputs("  // IRQs, each pointing at its PD, labelled with the PD's channel id for it\n", out);
    for (size_t i = 0; i < sys->npds; i++)
        for (size_t k = 0; k < sys->pds[i].nirqs; k++)
            irq_node(out, i, k, &sys->pds[i].irqs[k]);
    fputs("}\n", out);
}

/* The extension of PATH after its last dot, or "". */
static const char *extension(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    return dot && (!slash || dot > slash) ? dot + 1 : "";
}

/* True if PROG is an executable file in $PATH. */
static bool in_path(const char *prog)
{
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/bin:/bin";
    while (*path) {
        size_t n = strcspn(path, ":");
        char buf[4096];
        if (snprintf(buf, sizeof buf, "%.*s/%s", (int)n, n ? path : ".", prog) < (int)sizeof buf &&
            access(buf, X_OK) == 0)
            return true;
        path += n;
        if (*path == ':')
            path++;
    }
    return false;
}

/* Pipes the DOT for SYS into `dot -TFORMAT -o FILE`; returns 0 when Graphviz succeeded. */
static int render(const struct sdf_system *sys, const char *format, const char *file)
{
    int fds[2];
    if (pipe(fds)) {
        perror("hostkit graph: pipe");
        return -1;
    }
    char tflag[16];
    snprintf(tflag, sizeof tflag, "-T%s", format);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("hostkit graph: fork");
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(fds[0], 0);
        close(fds[0]);
        close(fds[1]);
        execlp("dot", "dot", tflag, "-o", file, (char *)NULL);
        fprintf(stderr, "hostkit graph: cannot run Graphviz's dot: %s\n", strerror(errno));
        _exit(127);
    }
    close(fds[0]);
    FILE *out = fdopen(fds[1], "w");
    if (!out) {
        close(fds[1]);
    } else {
        write_dot(out, sys);
        fclose(out);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "hostkit graph: Graphviz's dot failed to write '%s'\n", file);
        return -1;
    }
    return 0;
}

int cmd_graph(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "output", required_argument, NULL, 'o' },
        { "search-path", required_argument, NULL, 's' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct sdf_options opt;
    sdf_default_options(&opt);
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    size_t npaths = 0;
    const char *output = NULL;
    int c, rc = 2;
    if (!paths)
        return 2;
    optind = 1;
    while ((c = getopt_long(argc, argv, "ho:", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 's': paths[npaths++] = optarg; break;
        case 'h': rc = usage(stdout, 0); goto out;
        default: rc = usage(stderr, 2); goto out;
        }
    }
    if (optind != argc - 1) {
        rc = usage(stderr, 2);
        goto out;
    }
    const char *ext = output ? extension(output) : "dot";
    bool is_dot = !strcmp(ext, "dot") || !strcmp(ext, "gv");
    if (!is_dot && strcmp(ext, "svg") && strcmp(ext, "png")) {
        fprintf(stderr, "hostkit graph: cannot tell the format of '%s': name it FILE.dot, FILE.svg "
                        "or FILE.png\n", output);
        goto out;
    }
    if (!is_dot && !in_path("dot")) {
        fprintf(stderr, "hostkit graph: writing .%s needs Graphviz's `dot`, which is not installed.\n"
                        "Install it with: apt-get install graphviz  (in the hostkit tree: scripts/deps.sh graphviz),\n"
                        "or write DOT instead: -o FILE.dot\n",
                ext);
        goto out;
    }

    opt.search_paths = paths;
    struct sdf_system sys;
    char err[4096];
    if (sdf_load(argv[optind], &opt, &sys, err, sizeof err)) {
        fprintf(stderr, "Error: %s\n", err);
        rc = 1;
        goto out;
    }
    for (size_t i = 0; i < sys.nwarnings; i++)
        fprintf(stderr, "Warning: %s\n", sys.warnings[i]);
    rc = 0;
    if (!output) {
        write_dot(stdout, &sys);
        if (fflush(stdout))
            rc = 1;
    } else if (is_dot) {
        FILE *f = fopen(output, "w");
        if (!f) {
            fprintf(stderr, "hostkit graph: cannot write '%s': %s\n", output, strerror(errno));
            rc = 1;
        } else {
            write_dot(f, &sys);
            if (fclose(f)) {
                fprintf(stderr, "hostkit graph: cannot write '%s': %s\n", output, strerror(errno));
                rc = 1;
            }
        }
    } else if (render(&sys, ext, output)) {
        rc = 1;
    }
    sdf_free(&sys);
out:
    free(paths);
    return rc;
}
