/* test_fuzz.c — the fuzzers' short runs (parser, ELF reader, trace decoder), and the parser's
 * regressions.
 *
 * - fuzz_runs_clean: BUILD/fuzz/fuzz_sdf (fuzz/fuzz_sdf.c, built by `make test` when clang's
 *   libFuzzer runtime is there; `make fuzz-deps` installs it) runs a fixed 20,000 executions from
 *   the seed corpus with a fixed seed, under ASan and UBSan: no crash, no leak, no sanitizer
 *   report. elf_fuzz_runs_clean and trace_fuzz_runs_clean: the same, 5,000 and 2,000 executions,
 *   for fuzz/fuzz_elf.c (seeded with the pingpong and attack_trace images) and fuzz/fuzz_trace.c.
 *   Without the fuzzers they report "# SKIP" with the reason.
 * - every file in fuzz/regressions/ (inputs that once crashed or hung the parser) and in
 *   fuzz/corpus/ (the hand-written hostile seeds) goes through sdf_load here too, in the suite's own build (so
 *   under `make test SANITIZE=1` with the sanitizers, without clang): it is refused or accepted,
 *   with a message, and quickly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sdf/sdf.h"
#include "testutil.h"

/* Runs BUILD/fuzz/fuzz_NAME for RUNS executions with a fixed seed from the seed directories
 * SEEDS (NULL-terminated, under BUILD), in a fresh corpus. */
static void fuzz_clean(const char *name, const char *runs, const char *dict, const char *const *seeds)
{
    char bin[4096], work[] = "/tmp/hostkit-fuzz-XXXXXX", runs_arg[32], done[64], dirs[4][4096];
    snprintf(bin, sizeof bin, "%s/fuzz/fuzz_%s", build_dir(), name);
    assert_non_null(mkdtemp(work));
    snprintf(runs_arg, sizeof runs_arg, "-runs=%s", runs);
    char *argv[16] = { bin, runs_arg, "-seed=1", "-timeout=10", "-rss_limit_mb=2048", "-print_final_stats=1" };
    int n = 6;
    if (dict)
        argv[n++] = (char *)dict;
    argv[n++] = work;
    for (int k = 0; seeds[k] && k < 4; k++) {
        snprintf(dirs[k], sizeof dirs[k], "%s/%s", build_dir(), seeds[k]);
        argv[n++] = dirs[k];
    }
    argv[n] = NULL;
    struct run_result r;
    run_command(&r, argv);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
    if (system(cmd) != 0)
        fprintf(stderr, "# could not remove %s\n", work);
    snprintf(done, sizeof done, "Done %s runs", runs);
    if (r.status != 0 || !contains(r.err, done)) {
        run_result_dump(&r);
        fail_msg("the %s fuzzer found a problem (above) or did not complete %s runs", name, runs);
    }
    run_result_free(&r);
}

static void fuzz_runs_clean(void **state)
{
    (void)state;
    fuzz_clean("sdf", "20000", "-dict=fuzz/sdf.dict", (const char *const[]){"fuzz/seeds", NULL});
}

/* The monitor's ELF reader, from the test systems' images (their headers mutated). */
static void elf_fuzz_runs_clean(void **state)
{
    (void)state;
    fuzz_clean("elf", "5000", NULL, (const char *const[]){"tests/systems/pingpong", "tests/systems/attack_trace", NULL});
}

/* The trace decoder, on buffers of made-up events. */
static void trace_fuzz_runs_clean(void **state)
{
    (void)state;
    fuzz_clean("trace", "2000", NULL, (const char *const[]){NULL}); /* each input: 2 x 262,143 events read */
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Loads every file of DIR for each architecture; returns how many files there were. */
static int replay_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        fail_msg("cannot open %s", dir);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !strcmp(e->d_name, "README"))
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        static const enum sdf_arch arches[] = { SDF_AARCH64, SDF_RISCV64, SDF_X86_64 };
        for (size_t a = 0; a < 3; a++) {
            struct sdf_options o;
            sdf_default_options(&o);
            o.arch = arches[a];
            struct sdf_system sys;
            char err[1024];
            double t0 = now();
            int rc = sdf_load(path, &o, &sys, err, sizeof err);
            double secs = now() - t0;
            if (rc == 0)
                sdf_free(&sys);
            else if (!err[0])
                fail_msg("%s: refused without a message", path);
            if (secs > 2.0)
                fail_msg("%s: took %.1f s", path, secs);
        }
        n++;
    }
    closedir(d);
    return n;
}

static void regressions_and_hostile_seeds_are_handled(void **state)
{
    (void)state;
    replay_dir("fuzz/regressions");
    assert_true(replay_dir("fuzz/corpus") > 0);
}

int main(void)
{
    struct CMUnitTest tests[] = {
        cmocka_unit_test(regressions_and_hostile_seeds_are_handled),
        cmocka_unit_test(fuzz_runs_clean),
        cmocka_unit_test(elf_fuzz_runs_clean),
        cmocka_unit_test(trace_fuzz_runs_clean),
    };
    static const char *const names[] = {"sdf", "elf", "trace"};
    for (int k = 0; k < 3; k++) {
        char bin[4096];
        snprintf(bin, sizeof bin, "%s/fuzz/fuzz_%s", build_dir(), names[k]);
        skip_test_if(&tests[1 + k], access(bin, X_OK) == 0 ? NULL
                                    : "the fuzzers are not built: no clang with libFuzzer here (make fuzz-deps)");
    }
    return cmocka_run_group_tests_name("fuzz", tests, NULL, NULL);
}
