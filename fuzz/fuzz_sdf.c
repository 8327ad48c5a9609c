/* fuzz_sdf.c — libFuzzer target for the system-description parser and checker.
 *
 * Each input is written to a memfd and handed to sdf_load() by its /proc/self/fd path, the way
 * `hostkit run` and `hostkit check` read a file: the XML reader, every element rule and the
 * whole-system checks run on it, for an architecture and options drawn from the input's bytes
 * (the checks differ between aarch64, riscv64 and x86_64, cores, IOMMU and hypervisor). A system
 * that loads is also written out with sdf_write_report(), which walks every cross-reference the
 * checker resolved. Crashes, sanitizer reports and leaks (ASan's
 * leak checker runs at exit) are what the fuzzer looks for; the error text itself is not checked
 * here (tests/test_sdf.c does that).
 *
 * Build and run: `make fuzz FUZZ_SECONDS=N` (see fuzz/fuzz.mk). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "sdf/report.h"
#include "sdf/sdf.h"

static int memfd = -1;
static char path[64];
static FILE *sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (memfd < 0) {
        memfd = memfd_create("fuzz-sdf", MFD_CLOEXEC);
        if (memfd < 0) {
            perror("memfd_create");
            abort();
        }
        snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
        sink = fopen("/dev/null", "w");
        if (!sink) {
            perror("/dev/null");
            abort();
        }
    }
    if (ftruncate(memfd, 0) < 0 || (size && pwrite(memfd, data, size, 0) != (ssize_t)size)) {
        perror("fuzz_sdf: memfd");
        abort();
    }
    /* One architecture per input, picked from its bytes (so a mutation can move an input to
     * another architecture), and the other options varied likewise, so that every
     * architecture- and option-dependent check is reached. */
    uint32_t h = (uint32_t)size;
    for (size_t i = 0; i < size; i += 1 + size / 64)
        h = h * 31 + data[i];
    struct sdf_options opt;
    sdf_default_options(&opt);
    static const enum sdf_arch arches[] = { SDF_AARCH64, SDF_RISCV64, SDF_X86_64 };
    opt.arch = arches[h % 3];
    opt.cores = 1 + (h >> 2) % 4;
    opt.iommu = (h >> 4) & 1;
    opt.hypervisor = (h >> 5) & 1;
    opt.domains = 1 + (h >> 6) % 256;
    struct sdf_system sys;
    char err[1024];
    if (sdf_load(path, &opt, &sys, err, sizeof err) == 0) {
        if (sdf_write_report(&sys, sink) != 0) {
            fprintf(stderr, "fuzz_sdf: sdf_write_report failed on a valid system\n");
            abort();
        }
        sdf_free(&sys);
    } else if (err[0] == '\0' || !memchr(err, '\0', sizeof err)) {
        fprintf(stderr, "fuzz_sdf: sdf_load failed without an error message\n");
        abort();
    }
    return 0;
}
