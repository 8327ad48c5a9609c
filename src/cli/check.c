/* check.c — `hostkit check`: reads and checks a system description with sdf_load() and says
 * whether it is valid, in the words of the Microkit tool; a program image it finds that is an ELF
 * file must have headers that lie inside it, as `hostkit run` requires (monitor/elf.c). */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "monitor/elf_sym.h"
#include "sdf/report.h"
#include "sdf/sdf.h"

static int usage(FILE *f, int code)
{
    fputs("usage: hostkit check [--arch aarch64|riscv64|x86_64] [--cores N] [--no-iommu]\n"
          "                     [--no-hypervisor] [--domains N] [--search-path DIR]... [--report FILE] SYSTEM\n"
          "Checks the system description SYSTEM as the Microkit tool does; exits 0 when it is valid.\n"
          "--report FILE writes a report of the valid system to FILE (- for stdout).\n",
          f);
    return code;
}

int cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "arch", required_argument, NULL, 'a' },
        { "cores", required_argument, NULL, 'c' },
        { "no-iommu", no_argument, NULL, 'I' },
        { "no-hypervisor", no_argument, NULL, 'H' },
        { "domains", required_argument, NULL, 'd' },
        { "search-path", required_argument, NULL, 's' },
        { "report", required_argument, NULL, 'r' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct sdf_options opt;
    sdf_default_options(&opt);
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    size_t npaths = 0;
    int c, rc = 2;
    const char *report = NULL;
    char *end;
    if (!paths)
        return 2;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case 'a':
            if (sdf_parse_arch(optarg, &opt.arch) < 0) {
                fprintf(stderr, "hostkit check: unknown architecture '%s'\n", optarg);
                goto out;
            }
            break;
        case 'c':
        case 'd': {
            unsigned long v = strtoul(optarg, &end, 10);
            if (*end || !*optarg || v < 1 || v > 256) {
                fprintf(stderr, "hostkit check: invalid %s '%s'\n", c == 'c' ? "--cores" : "--domains",
                        optarg);
                goto out;
            }
            if (c == 'c')
                opt.cores = (unsigned)v;
            else
                opt.domains = (unsigned)v;
            break;
        }
        case 'I': opt.iommu = false; break;
        case 'H': opt.hypervisor = false; break;
        case 's': paths[npaths++] = optarg; break;
        case 'r': report = optarg; break;
        case 'h': rc = usage(stdout, 0); goto out;
        default: rc = usage(stderr, 2); goto out;
        }
    }
    if (optind != argc - 1) {
        rc = usage(stderr, 2);
        goto out;
    }
    opt.search_paths = paths;
    struct sdf_system sys;
    char err[4096];
    const char *file = argv[optind];
    if (sdf_load(file, &opt, &sys, err, sizeof err)) {
        fprintf(stderr, "Error: %s\n", err);
        rc = 1;
        goto out;
    }
    for (size_t i = 0; i < sys.npds; i++) {
        const char *image = sys.pds[i].image_resolved;
        FILE *f = image ? fopen(image, "rb") : NULL;
        char magic[4] = {0}, why[256];
        bool elf = f && fread(magic, 1, 4, f) == 4 && !memcmp(magic, "\177ELF", 4);
        if (f)
            fclose(f);
        if (elf && elf_check(image, why, sizeof why) < 0) {
            fprintf(stderr, "Error: program image '%s' of protection domain '%s' is not a valid ELF file: %s\n",
                    image, sys.pds[i].name, why);
            sdf_free(&sys);
            rc = 1;
            goto out;
        }
    }
    for (size_t i = 0; i < sys.nwarnings; i++)
        fprintf(stderr, "Warning: %s\n", sys.warnings[i]);
    printf("%s: valid: %zu protection domain%s, %zu channel%s, %zu memory region%s, %zu IRQ%s\n", file,
           sys.npds, sys.npds == 1 ? "" : "s", sys.nchannels, sys.nchannels == 1 ? "" : "s", sys.nmrs,
           sys.nmrs == 1 ? "" : "s", sys.nirqs, sys.nirqs == 1 ? "" : "s");
    rc = 0;
    if (report) {
        FILE *rf = strcmp(report, "-") ? fopen(report, "w") : stdout;
        if (!rf || sdf_write_report(&sys, rf) || (rf == stdout ? fflush(rf) : fclose(rf))) {
            fprintf(stderr, "hostkit check: cannot write report '%s'\n", report);
            rc = 1;
        }
    }
    sdf_free(&sys);
out:
    free(paths);
    return rc;
}
