/* test_fuzz.c — the parser fuzzer's short run, and its regressions.
 *
 * - fuzz_runs_clean: BUILD/fuzz/fuzz_sdf (fuzz/fuzz_sdf.c, built by `make test` when clang's
 *   libFuzzer runtime is there; `make fuzz-deps` installs it) runs a fixed 20,000 executions from
 *   the seed corpus with a fixed seed, under ASan and UBSan: no crash, no leak, no sanitizer
 *   report. Without the fuzzer it reports "# SKIP" with the reason.
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

static void fuzz_runs_clean(void **state)
{
    (void)state;
    char bin[4096], seeds[4096], work[] = "/tmp/hostkit-fuzz-XXXXXX";
    snprintf(bin, sizeof bin, "%s/fuzz/fuzz_sdf", build_dir());
    snprintf(seeds, sizeof seeds, "%s/fuzz/seeds", build_dir());
    assert_non_null(mkdtemp(work));
    char *argv[] = { bin, "-runs=20000", "-seed=1", "-timeout=10", "-rss_limit_mb=2048",
                     "-dict=fuzz/sdf.dict", "-print_final_stats=1", work, seeds, NULL };
    struct run_result r;
    run_command(&r, argv);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
    if (system(cmd) != 0)
        fprintf(stderr, "# could not remove %s\n", work);
    if (r.status != 0 || !contains(r.err, "Done 20000 runs")) {
        run_result_dump(&r);
        fail_msg("the fuzzer found a problem (above) or did not complete 20000 runs");
    }
    run_result_free(&r);
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
    };
    char bin[4096];
    snprintf(bin, sizeof bin, "%s/fuzz/fuzz_sdf", build_dir());
    skip_test_if(&tests[1], access(bin, X_OK) == 0 ? NULL
                            : "fuzz/fuzz_sdf not built: no clang with libFuzzer here (make fuzz-deps)");
    return cmocka_run_group_tests_name("fuzz", tests, NULL, NULL);
}
