/* elf.c — reads a PD's program image (64-bit ELF .symtab): the data symbols setvar names (the
 * Microkit tool patches them in the image; hostkit finds their link-time address here and the PD
 * writes the value there, relocated, before init), and checks an image's headers before a run
 * uses it (elf_check()). A fault's backtrace is named by symbolize.c (libdw).
 *
 * An image is input like any other: every offset and size read from it is checked against the
 * file's length without overflow (in_file()), so a header whose offset plus size wraps around
 * cannot send a read outside the mapping. (The reader is small enough to check whole; elfutils'
 * libelf would do the same checks behind a larger interface.) */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "monitor/elf_sym.h"

/* OFF and SIZE describe bytes inside a file of LEN bytes (no sum that could wrap is formed). */
static bool in_file(uint64_t off, uint64_t size, uint64_t len) { return off <= len && size <= len - off; }

/* The section header table of a mapped image, or NULL. */
static const Elf64_Shdr *section_headers(const unsigned char *img, size_t len)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
    if (len < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_shoff == 0 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
        !in_file(eh->e_shoff, (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr), len) || eh->e_shoff % 8)
        return NULL;
    return (const Elf64_Shdr *)(img + eh->e_shoff);
}

/* Calls FN for each defined symbol of the image's .symtab until it returns nonzero. */
typedef int (*sym_fn)(const Elf64_Sym *sym, const char *name, const Elf64_Shdr *section, void *arg);

static int for_each_symbol(const char *path, sym_fn fn, void *arg)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    int rc = -1;
    if (fstat(fd, &st) < 0 || (size_t)st.st_size < sizeof(Elf64_Ehdr)) {
        close(fd);
        return -1;
    }
    size_t len = (size_t)st.st_size;
    const unsigned char *img = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (img == MAP_FAILED)
        return -1;
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
    const Elf64_Shdr *sh = section_headers(img, len);
    if (!sh)
        goto out;
    for (unsigned i = 0; i < eh->e_shnum && rc < 0; i++) {
        if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
            continue;
        const Elf64_Shdr *strs = &sh[sh[i].sh_link];
        if (!in_file(sh[i].sh_offset, sh[i].sh_size, len) || !in_file(strs->sh_offset, strs->sh_size, len) ||
            sh[i].sh_offset % 8)
            continue;
        const Elf64_Sym *sym = (const Elf64_Sym *)(img + sh[i].sh_offset);
        size_t n = sh[i].sh_size / sizeof *sym;
        const char *names = (const char *)img + strs->sh_offset;
        for (size_t k = 0; k < n && rc < 0; k++) {
            if (sym[k].st_name >= strs->sh_size || sym[k].st_shndx == SHN_UNDEF ||
                sym[k].st_shndx >= eh->e_shnum)
                continue;
            const char *s = names + sym[k].st_name;
            if (strnlen(s, strs->sh_size - sym[k].st_name) < strs->sh_size - sym[k].st_name &&
                fn(&sym[k], s, &sh[sym[k].st_shndx], arg))
                rc = 0;
        }
    }
out:
    munmap((void *)img, len);
    return rc;
}

struct find_arg {
    const char *name;
    uint64_t *value, *size;
    bool *writable;
};

static int match_object(const Elf64_Sym *sym, const char *name, const Elf64_Shdr *section, void *arg)
{
    struct find_arg *a = arg;
    if (ELF64_ST_TYPE(sym->st_info) != STT_OBJECT || strcmp(name, a->name))
        return 0;
    *a->value = sym->st_value;
    *a->size = sym->st_size;
    *a->writable = (section->sh_flags & SHF_WRITE) != 0;
    return 1;
}

int elf_find_symbol(const char *path, const char *name, uint64_t *value, uint64_t *size, bool *writable)
{
    struct find_arg a = {name, value, size, writable};
    return for_each_symbol(path, match_object, &a);
}

static int match_any(const Elf64_Sym *sym, const char *name, const Elf64_Shdr *section, void *arg)
{
    struct elf_sym_query *q = ((struct elf_sym_batch *)arg)->q;
    size_t n = ((struct elf_sym_batch *)arg)->n;
    if (ELF64_ST_TYPE(sym->st_info) != STT_OBJECT)
        return 0;
    for (size_t k = 0; k < n; k++)
        if (!q[k].found && !strcmp(name, q[k].name)) {
            q[k].found = true;
            q[k].value = sym->st_value;
            q[k].size = sym->st_size;
            q[k].writable = (section->sh_flags & SHF_WRITE) != 0;
        }
    return 0;
}

void elf_find_symbols(const char *path, struct elf_sym_query *q, size_t n)
{
    for (size_t k = 0; k < n; k++)
        q[k].found = false;
    struct elf_sym_batch b = {q, n};
    for_each_symbol(path, match_any, &b);
}

int elf_check(const char *path, char *msg, size_t len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        snprintf(msg, len, "cannot read it: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    size_t size = (size_t)st.st_size;
    const unsigned char *img = size ? mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
    close(fd);
    if (img == MAP_FAILED) {
        snprintf(msg, len, "cannot read it: %s", size ? strerror(errno) : "empty file");
        return -1;
    }
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
    int rc = -1;
    if (size < sizeof *eh || memcmp(eh->e_ident, ELFMAG, SELFMAG)) {
        snprintf(msg, len, "not an ELF file");
    } else if (eh->e_ident[EI_CLASS] != ELFCLASS64) {
        snprintf(msg, len, "not a 64-bit ELF file");
    } else if (eh->e_phnum && (eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff % 8 ||
                               !in_file(eh->e_phoff, (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr), size))) {
        snprintf(msg, len, "its program headers (offset 0x%llx, %u of %u bytes) lie outside the file (%zu bytes)",
                 (unsigned long long)eh->e_phoff, eh->e_phnum, eh->e_phentsize, size);
    } else if (eh->e_shnum && !section_headers(img, size)) {
        snprintf(msg, len, "its section headers (offset 0x%llx, %u of %u bytes) lie outside the file (%zu bytes)",
                 (unsigned long long)eh->e_shoff, eh->e_shnum, eh->e_shentsize, size);
    } else {
        rc = 0;
        const Elf64_Phdr *ph = eh->e_phnum ? (const Elf64_Phdr *)(img + eh->e_phoff) : NULL;
        for (unsigned i = 0; rc == 0 && ph && i < eh->e_phnum; i++)
            if (!in_file(ph[i].p_offset, ph[i].p_filesz, size)) {
                snprintf(msg, len, "program header %u (offset 0x%llx, size 0x%llx) lies outside the file (%zu bytes)",
                         i, (unsigned long long)ph[i].p_offset, (unsigned long long)ph[i].p_filesz, size);
                rc = -1;
            }
        const Elf64_Shdr *sh = eh->e_shnum ? (const Elf64_Shdr *)(img + eh->e_shoff) : NULL;
        for (unsigned i = 0; rc == 0 && sh && i < eh->e_shnum; i++) {
            if (sh[i].sh_type != SHT_NOBITS && !in_file(sh[i].sh_offset, sh[i].sh_size, size)) {
                snprintf(msg, len, "section %u (offset 0x%llx, size 0x%llx) lies outside the file (%zu bytes)",
                         i, (unsigned long long)sh[i].sh_offset, (unsigned long long)sh[i].sh_size, size);
                rc = -1;
            } else if (sh[i].sh_link >= eh->e_shnum && (sh[i].sh_type == SHT_SYMTAB || sh[i].sh_type == SHT_DYNSYM)) {
                snprintf(msg, len, "section %u links to section %u of %u", i, sh[i].sh_link, eh->e_shnum);
                rc = -1;
            }
        }
    }
    munmap((void *)img, size);
    return rc;
}
