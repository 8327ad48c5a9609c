/* elf_sym.h — symbol lookup in program images (elf.c). */
#ifndef HOSTKIT_ELF_SYM_H
#define HOSTKIT_ELF_SYM_H
#include <stdint.h>
/* Link-time address and size of the data symbol NAME in the ELF file PATH: 0, or -1 if absent. */
int elf_find_symbol(const char *path, const char *name, uint64_t *value, uint64_t *size);
#endif
