/* elf_sym.h — symbol lookup in program images (elf.c). */
#ifndef HOSTKIT_ELF_SYM_H
#define HOSTKIT_ELF_SYM_H
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
/* Link-time address and size of the data symbol NAME in the ELF file PATH, and whether its section
 * is writable: 0, or -1 if absent. */
int elf_find_symbol(const char *path, const char *name, uint64_t *value, uint64_t *size, bool *writable);
/* "function+0xOFFSET" for link-time address ADDR in PATH: 0, or -1 if no function contains it. */
int elf_symbolize(const char *path, uint64_t addr, char *out, size_t len);
#endif
