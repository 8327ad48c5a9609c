/* sdf.h — the checked system description (.system file) as a plain C structure.
 *
 * This is the one place where system-description facts live: sdf_load() parses and checks a file
 * as strictly as the Microkit tool does, and everything else (the monitor, `hostkit check`,
 * `hostkit graph`) reads only this structure. Indices (pd, mr) refer into the arrays below. */
#ifndef HOSTKIT_SDF_H
#define HOSTKIT_SDF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SDF_MAX_PDS 63         /* Microkit's limit on protection domains */
#define SDF_MAX_CHANNEL_ID 61  /* channel and IRQ ids are 0..61 (MICROKIT_MAX_CHANNELS 62) */
#define SDF_MAX_CHILD_ID 61
#define SDF_NAME_MAX 64        /* MICROKIT_PD_NAME_LENGTH, including the NUL */

enum sdf_arch { SDF_AARCH64, SDF_RISCV64, SDF_X86_64 };

struct sdf_options {
    enum sdf_arch arch;          /* default SDF_AARCH64 */
    unsigned cores;              /* default 1 */
    bool iommu;                  /* default true */
    bool hypervisor;             /* default true */
    unsigned domains;            /* number of scheduling domains, default 16 */
    const char *const *search_paths; /* NULL-terminated, may be NULL */
};
void sdf_default_options(struct sdf_options *o);

struct sdf_loc { int line, col; };

enum { SDF_PERM_R = 1, SDF_PERM_W = 2, SDF_PERM_X = 4 };

struct sdf_mr {
    char name[SDF_NAME_MAX];
    uint64_t size, page_size;
    bool has_phys_addr;
    uint64_t phys_addr;
    char *prefill_path;          /* as written, or NULL */
    char *prefill_resolved;      /* resolved path, or NULL if not found */
    struct sdf_loc loc;
};

struct sdf_map {
    int mr;                      /* index into sys->mrs */
    uint64_t vaddr;
    unsigned perms;              /* SDF_PERM_* */
    bool cached;
    char *setvar_vaddr, *setvar_size; /* symbol names, or NULL */
    struct sdf_loc loc;
};

enum sdf_irq_kind { SDF_IRQ_CONVENTIONAL, SDF_IRQ_IOAPIC, SDF_IRQ_MSI };
struct sdf_irq {
    enum sdf_irq_kind kind;
    unsigned id;                 /* the PD's channel id for it */
    uint64_t irq;                /* conventional */
    bool edge;                   /* trigger="edge" (default level) */
    uint64_t ioapic, pin, vector, level, polarity, pci_bus, pci_dev, pci_func, handle;
    struct sdf_loc loc;
};

struct sdf_setvar {
    char *symbol;
    int region_paddr;            /* index into sys->mrs */
    struct sdf_loc loc;
};

struct sdf_pd {
    char name[SDF_NAME_MAX];
    uint8_t priority;            /* 0..254, default 0 */
    uint64_t budget, period;     /* microseconds; defaults 1000 and = budget */
    bool passive, smc;
    uint64_t stack_size;         /* default 0x2000 */
    unsigned cpu;
    int domain;                  /* -1 when not given */
    int parent;                  /* index of the parent PD, -1 for a top-level PD */
    unsigned child_id;           /* id under the parent (valid when parent >= 0) */
    char *program_image;         /* path as written */
    char *image_resolved;        /* resolved path, or NULL if not found */
    struct sdf_map *maps; size_t nmaps;
    struct sdf_irq *irqs; size_t nirqs;
    struct sdf_setvar *setvars; size_t nsetvars;
    struct sdf_loc loc;
};

struct sdf_end {
    int pd;                      /* index into sys->pds */
    unsigned id;                 /* channel id at this end */
    bool pp;                     /* this end may ppcall the other */
    bool notify;                 /* this end may notify the other (default true) */
};

struct sdf_channel {
    struct sdf_end end[2];
    struct sdf_loc loc;
};

struct sdf_system {
    char *file;                  /* as given on the command line */
    struct sdf_pd *pds; size_t npds;
    struct sdf_mr *mrs; size_t nmrs;
    struct sdf_channel *channels; size_t nchannels;
    size_t nirqs;                /* total over all PDs */
    void *extra;                 /* parser-private data (VMs, domains, IOMMU), freed by sdf_free */
};

/* Parses and checks FILE. On success returns 0 and fills *sys. On error returns -1 and writes
 * the message without the "Error: " prefix into err, worded as the Microkit tool words it and
 * ending with the location FILE:LINE:COLUMN where the tool gives one. */
int sdf_load(const char *file, const struct sdf_options *opt, struct sdf_system *sys,
             char *err, size_t errlen);
void sdf_free(struct sdf_system *sys);

/* Index of the PD called NAME, or -1. */
int sdf_find_pd(const struct sdf_system *sys, const char *name);

#endif
