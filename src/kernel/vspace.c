/* vspace.c — the PD's own address space: memory regions mapped at exactly their vaddr with their
 * perms, the setvar values written into the image's variables before init (the Microkit tool
 * patches them in the ELF file), and a frame-pointer walk of the stack for fault backtraces. */
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kernel/host.h"
#include "kernel/kernel.h"

/* ---- backtraces: a frame-pointer walk (PDs are built with -fno-omit-frame-pointer), reading
 * only inside this PD's stack so a corrupt chain cannot fault again in the handler. ---- */
static uintptr_t image_base, stack_lo, stack_hi;

void hk_backtrace(struct hk_fault *f, const ucontext_t *uc)
{
    f->base = image_base;
    f->nframes = 0;
#if defined(__x86_64__)
    f->frames[f->nframes++] = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
    uintptr_t fp = (uintptr_t)uc->uc_mcontext.gregs[REG_RBP];
    while (f->nframes < 16 && fp >= stack_lo && fp + 16 <= stack_hi && !(fp & 7)) {
        const uintptr_t *frame = (const uintptr_t *)fp;
        if (frame[1] == 0)
            break;
        f->frames[f->nframes++] = frame[1];
        if (frame[0] <= fp)
            break; /* frames go up the stack */
        fp = frame[0];
    }
#else
    (void)uc;
#endif
}

static void find_stack(void)
{
    FILE *m = fopen("/proc/self/maps", "r");
    char line[512];
    uintptr_t here = (uintptr_t)&line;
    while (m && fgets(line, sizeof line, m)) {
        unsigned long lo, hi;
        if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && lo <= here && here < hi) {
            stack_lo = lo;
            stack_hi = hi;
            break;
        }
    }
    if (m)
        fclose(m);
}

/* Memory regions at exactly their vaddr, with their perms. Failing that, the PD cannot run. */
static void map_regions(const struct hk_cfg *ctl)
{
    for (uint32_t i = 0; i < ctl->nmaps && i < HK_MAX_MAPS; i++) {
        const struct hk_map_cfg *m = &ctl->maps[i];
        int prot = (m->perms & 1 ? PROT_READ : 0) | (m->perms & 2 ? PROT_WRITE : 0) |
                   (m->perms & 4 ? PROT_EXEC : 0);
        if (m->trap)
            prot = PROT_NONE; /* each access faults, and is served (mmio.c) */
        void *want = (void *)(uintptr_t)m->vaddr;
        void *p = mmap(want, m->size, prot, MAP_SHARED | MAP_FIXED_NOREPLACE, m->fd, 0);
        if (p != want) {
            fprintf(stderr, "hostkit: PD '%s' cannot map memory region '%s' at 0x%llx (0x%llx bytes): %s\n",
                    ctl->name, m->mr, (unsigned long long)m->vaddr, (unsigned long long)m->size,
                    p == MAP_FAILED ? strerror(errno) : "the host placed it elsewhere");
            _exit(121);
        }
    }
    for (uint32_t i = 0; i < ctl->nmaps && i < HK_MAX_MAPS; i++)
        hk_sys_close(ctl->maps[i].fd);
}

static struct {
    uintptr_t lo, hi;
} code[4]; /* the image's executable segments */

static int first_object_base(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    *(uintptr_t *)data = info->dlpi_addr;
    unsigned n = 0;
    for (unsigned k = 0; k < info->dlpi_phnum && n < sizeof code / sizeof *code; k++)
        if (info->dlpi_phdr[k].p_type == PT_LOAD && (info->dlpi_phdr[k].p_flags & PF_X)) {
            code[n].lo = info->dlpi_addr + info->dlpi_phdr[k].p_vaddr;
            code[n].hi = code[n].lo + info->dlpi_phdr[k].p_memsz;
            n++;
        }
    return 1; /* the first object is the program itself */
}

bool hk_in_image_code(uint64_t addr)
{
    for (unsigned k = 0; k < sizeof code / sizeof *code; k++)
        if (addr >= code[k].lo && addr < code[k].hi)
            return true;
    return false;
}

/* setvar: what the Microkit tool patches into the image, written before init (libmicrokit's
 * microkit_name, channel masks and microkit_passive among them). */
static void set_variables(const struct hk_cfg *ctl)
{
    uintptr_t base = 0;
    dl_iterate_phdr(first_object_base, &base);
    image_base = base;
    long page = sysconf(_SC_PAGESIZE);
    for (uint32_t i = 0; i < ctl->nsetvars && i < HK_MAX_SETVARS; i++) {
        const struct hk_setvar_cfg *v = &ctl->setvars[i];
        size_t bytes = v->name ? sizeof ctl->name : v->size <= 8 ? v->size : 8;
        uintptr_t at = base + v->addr, first = at & ~(uintptr_t)(page - 1);
        size_t span = at + bytes - first;
        /* a const variable: the Microkit tool patches the image file, so read-only data changes too */
        if (v->readonly && mprotect((void *)first, span, PROT_READ | PROT_WRITE) < 0) {
            fprintf(stderr, "hostkit: PD '%s' cannot set a read-only variable: %s\n", ctl->name, strerror(errno));
            _exit(121);
        }
        memcpy((void *)at, v->name ? (const void *)ctl->name : (const void *)&v->value, bytes);
        if (v->readonly)
            mprotect((void *)first, span, PROT_READ);
    }
}


void hk_image_setup(const struct hk_cfg *ctl)
{
    map_regions(ctl);
    set_variables(ctl);
    find_stack();
}
