/* fuzz_elf.c — libFuzzer target for the monitor's ELF reader (src/monitor/elf.c), which reads
 * program images nobody vouches for: each input, written to a memfd and read by its /proc/self/fd
 * path as the monitor reads an image, goes through elf_check() and the setvar look-ups
 * (elf_find_symbol, elf_find_symbols); the backtrace's names come from libdw (symbolize.c). Crashes, sanitizer reports and leaks are what the fuzzer looks for. The seeds are the
 * test systems' PD images. Build and run: `make fuzz FUZZ_SECONDS=N` (fuzz/fuzz.mk). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "monitor/elf_sym.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("fuzz-elf", MFD_CLOEXEC);
        if (fd < 0) {
            perror("memfd_create");
            abort();
        }
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) < 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    char msg[256];
    uint64_t value, bytes;
    bool writable;
    elf_check(path, msg, sizeof msg);
    elf_find_symbol(path, "microkit_name", &value, &bytes, &writable);
    struct elf_sym_query q[] = {{.name = "microkit_irqs"}, {.name = "microkit_passive"}};
    elf_find_symbols(path, q, 2);
    return 0;
}
