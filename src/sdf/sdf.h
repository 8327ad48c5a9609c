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
    unsigned domain_schedules;   /* KernelNumDomainSchedules, default 100 */
    unsigned arm_pa_bits;        /* 40 (default) or 44 */
    const char *const *search_paths; /* NULL-terminated, may be NULL */
};
void sdf_default_options(struct sdf_options *o);
/* "aarch64", "riscv64" or "x86_64" into *ARCH; -1 for any other name. */
int sdf_parse_arch(const char *name, enum sdf_arch *arch);

struct sdf_loc { int line, col; };

enum { SDF_PERM_R = 1, SDF_PERM_W = 2, SDF_PERM_X = 4 };

struct sdf_mr {
    char name[SDF_NAME_MAX];
    uint64_t size, page_size;
    bool has_phys_addr;
    uint64_t phys_addr;
    char *prefill_path;          /* as written, or NULL */
    char *prefill_resolved;      /* resolved path, or NULL if not found */
    uint64_t prefill_size;       /* bytes in the prefill file (0 without one) */
    int prefill_bootinfo;        /* SDF_BOOTINFO_*, 0 when none */
    bool page_size_given;        /* page_size was written in the file */
    struct sdf_loc loc;
};
enum { SDF_BOOTINFO_NONE, SDF_BOOTINFO_X86_VBE, SDF_BOOTINFO_X86_MBMMAP, SDF_BOOTINFO_X86_ACPI_RSDP,
       SDF_BOOTINFO_X86_FRAMEBUFFER, SDF_BOOTINFO_X86_TSC_FREQ, SDF_BOOTINFO_FDT };

struct sdf_map {
    int mr;                      /* index into sys->mrs */
    uint64_t vaddr;
    unsigned perms;              /* SDF_PERM_* */
    bool cached;
    char *setvar_vaddr, *setvar_size; /* symbol names, or NULL */
    char *setvar_prefill_size;   /* symbol name, or NULL */
    char *mr_name;               /* the mr attribute as written */
    struct sdf_loc loc;
};

enum sdf_irq_kind { SDF_IRQ_CONVENTIONAL, SDF_IRQ_IOAPIC, SDF_IRQ_MSI };
struct sdf_irq {
    enum sdf_irq_kind kind;
    unsigned id;                 /* the PD's channel id for it */
    uint64_t irq;                /* conventional */
    bool edge;                   /* trigger="edge" (default level) */
    uint64_t ioapic, pin, vector, level, polarity, pci_bus, pci_dev, pci_func, handle;
    /* x86 IOAPIC: level is 1 for level-triggered, polarity 1 for high (the defaults) */
    char *setvar_id;             /* symbol name, or NULL */
    struct sdf_loc loc;
};

struct sdf_setvar {
    char *symbol;
    int region_paddr;            /* index into sys->mrs */
    char *region_name;
    struct sdf_loc loc;
};

struct sdf_ioport {               /* x86 only */
    unsigned id;
    uint64_t addr, size;
    char *setvar_id, *setvar_addr;
    struct sdf_loc loc;
};

enum sdf_cap_kind { SDF_CAP_TCB, SDF_CAP_SC, SDF_CAP_VSPACE };
struct sdf_capmap {              /* <cspace><cap_tcb|cap_sc|cap_vspace pd slot/></cspace> */
    enum sdf_cap_kind kind;
    int pd;                      /* the PD whose object is mapped */
    char *pd_name;
    uint64_t slot;
    struct sdf_loc loc;
};

struct sdf_vcpu { unsigned id; int cpu; /* -1 when not given */ char *setvar_id; struct sdf_loc loc; };
struct sdf_vm {
    char name[SDF_NAME_MAX];
    int pd;                      /* the PD that owns (is the VMM of) this virtual machine */
    uint8_t priority;
    uint64_t budget, period;
    struct sdf_vcpu *vcpus; size_t nvcpus;
    struct sdf_map *maps; size_t nmaps;
    struct sdf_loc loc;
};

struct sdf_iomap {               /* a map in an <io_address_space> */
    char *space;                 /* the io_address_space name */
    unsigned pci_bus, pci_dev, pci_func;
    uint64_t domain_id;
    int mr;
    char *mr_name;
    uint64_t iovaddr;
    unsigned perms;              /* SDF_PERM_R|SDF_PERM_W */
    struct sdf_loc loc;
};

struct sdf_domain { char *name; unsigned id; };
struct sdf_sched_entry { int domain; /* index into domains, -1 for an end marker */ uint64_t duration; bool ticks; };

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
    /* added by the checker; not needed by the runtime */
    bool fpu;                    /* default true */
    char *program_image_for_symbols;
    char *setvar_id;             /* child PDs: symbol set to child_id in the parent, or NULL */
    int vm;                      /* index into sys->vms, -1 when none */
    struct sdf_ioport *ioports; size_t nioports;
    struct sdf_capmap *caps; size_t ncaps;
    bool has_cspace;
};

struct sdf_end {
    int pd;                      /* index into sys->pds */
    unsigned id;                 /* channel id at this end */
    bool pp;                     /* this end may ppcall the other */
    bool notify;                 /* this end may notify the other (default true) */
    char *setvar_id;             /* symbol name, or NULL */
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
    struct sdf_vm *vms; size_t nvms;
    struct sdf_iomap *iomaps; size_t niomaps;
    struct sdf_domain *domains; size_t ndomains;     /* empty without <domains> */
    struct sdf_sched_entry *schedule; size_t nschedule;
    uint64_t schedule_start_index;
    bool has_index_shift; uint64_t schedule_index_shift;
    char **warnings; size_t nwarnings; /* e.g. unused memory regions, missing program images */
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
