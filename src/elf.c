/* elf.c — finds a symbol in a PD's program image (64-bit ELF .symtab), for setvar: the Microkit
 * tool patches named variables in the image; hostkit finds their link-time address here and the
 * PD writes the value there (relocated) before init. */
#include <elf.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elf_sym.h"

int elf_find_symbol(const char *path, const char *name, uint64_t *value, uint64_t *size)
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
    if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
        eh->e_shoff == 0 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
        eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > len)
        goto out;
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(img + eh->e_shoff);
    for (unsigned i = 0; i < eh->e_shnum && rc < 0; i++) {
        if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum)
            continue;
        const Elf64_Shdr *strs = &sh[sh[i].sh_link];
        if (sh[i].sh_offset + sh[i].sh_size > len || strs->sh_offset + strs->sh_size > len)
            continue;
        const Elf64_Sym *sym = (const Elf64_Sym *)(img + sh[i].sh_offset);
        size_t n = sh[i].sh_size / sizeof *sym;
        const char *names = (const char *)img + strs->sh_offset;
        for (size_t k = 0; k < n; k++) {
            if (sym[k].st_name >= strs->sh_size || sym[k].st_shndx == SHN_UNDEF)
                continue;
            const char *s = names + sym[k].st_name;
            if (strnlen(s, strs->sh_size - sym[k].st_name) < strs->sh_size - sym[k].st_name &&
                !strcmp(s, name) && ELF64_ST_TYPE(sym[k].st_info) == STT_OBJECT) {
                *value = sym[k].st_value;
                *size = sym[k].st_size;
                rc = 0;
                break;
            }
        }
    }
out:
    munmap((void *)img, len);
    return rc;
}
