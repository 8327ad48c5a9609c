/* elf_sym.h — symbol lookup in program images (elf.c). */
#ifndef HOSTKIT_ELF_SYM_H
#define HOSTKIT_ELF_SYM_H
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
/* Link-time address and size of the data symbol NAME in the ELF file PATH, and whether its section
 * is writable: 0, or -1 if absent. */
int elf_find_symbol(const char *path, const char *name, uint64_t *value, uint64_t *size, bool *writable);
/* Several data symbols in one pass over PATH's symbol table: each query's FOUND says. */
struct elf_sym_query {
    const char *name;
    bool found, writable;
    uint64_t value, size;
};
struct elf_sym_batch {
    struct elf_sym_query *q;
    size_t n;
};
void elf_find_symbols(const char *path, struct elf_sym_query *q, size_t n);
/* Checks that the headers of the image PATH describe bytes inside the file (an image read later
 * cannot lead the monitor outside it): 0, or -1 with what is wrong in MSG. */
int elf_check(const char *path, char *msg, size_t len);
#endif
