#!/bin/bash
# test_coverage.sh — `hostkit run --coverage` (issue 16): PD images built with gcc's --coverage
# write their gcov counters when the run ends (the monitor otherwise kills their processes, and
# nothing is written), a PD that crashed included; gcov reads them with the right counts, and lcov
# and genhtml (`make coverage`'s tools) turn them into HTML. Built from tests/systems/crash in a
# temporary directory, so the tree's images are left alone. Prints TAP for prove.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
hostkit=${HOSTKIT:-$top/build/hostkit}
build=${BUILD:-$top/build}
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
n=0
failed=0
check() { # check NAME CONDITION [FILES TO SHOW]...
    local name=$1 cond=$2
    shift 2
    n=$((n + 1))
    if eval "$cond"; then
        echo "ok $n - $name"
    else
        failed=1
        echo "not ok $n - $name"
        for f in "$@"; do sed 's/^/# /' "$f" | head -40; done
    fi
}
echo "1..10"
cd "$top" || exit 1
sanitize= # the PDs are built as the libhostkit of $BUILD is (SANITIZE=1: build-san)
case $build in *-san) sanitize="-fsanitize=address,undefined" ;; esac
for pd in first crasher after; do
    mkdir -p "$tmp/plain" "$tmp/cov"
    cc -std=gnu11 -g -O0 $sanitize -Iinclude -o "$tmp/plain/$pd.elf" "tests/systems/crash/$pd.c" "$build/libhostkit.a" $sanitize
    cc -std=gnu11 -g -O0 --coverage $sanitize -Iinclude -o "$tmp/cov/$pd.elf" "tests/systems/crash/$pd.c" "$build/libhostkit.a" $sanitize
done
sys=tests/systems/crash/crash.system

# the same instrumented images without --coverage: killed at the end, they write nothing
"$hostkit" run --search-path "$tmp/cov" "$sys" >"$tmp/nocov.out" 2>&1
check "without --coverage no counters are written (the PDs are killed)" \
    '[ -z "$(find "$tmp/cov" -name "*.gcda")" ]' "$tmp/nocov.out"

"$hostkit" run --coverage --search-path "$tmp/cov" "$sys" >"$tmp/cov.out" 2>"$tmp/cov.err"
status=$?
check "with --coverage the run is the same (exit 4, the same output)" \
    '[ $status = 4 ] && diff <(grep -v "^MON\|^[a-z0-9_]* : 0x" "$tmp/nocov.out") <(grep -v "^MON\|^[a-z0-9_]* : 0x" "$tmp/cov.out") >/dev/null' \
    "$tmp/cov.out" "$tmp/cov.err"
check "every PD wrote its counters, the one that crashed too" \
    '[ -s "$tmp/cov/first.elf-first.gcda" ] && [ -s "$tmp/cov/after.elf-after.gcda" ] && [ -s "$tmp/cov/crasher.elf-crasher.gcda" ]' \
    "$tmp/cov.err"
(cd "$top" && gcov -o "$tmp/cov" "$tmp/cov/first.elf-first.gcda" "$tmp/cov/crasher.elf-crasher.gcda" >"$tmp/gcov.txt" 2>&1)
mv "$top"/*.gcov "$tmp/" 2>/dev/null
# gcov lines: "COUNT:LINE:SOURCE", "#####" for a line never run
check "gcov: first's notified() ran once (after notified it)" \
    'grep -Eq "^ +1: +[0-9]+: +say\(\"notified by channel %u\", ch\);" "$tmp/first.c.gcov"' "$tmp/first.c.gcov" "$tmp/gcov.txt"
check "gcov: crasher's init ran up to the crash, not past it" \
    'grep -Eq "^ +1: +[0-9]+: +say\(\"about to crash\"\);" "$tmp/crasher.c.gcov" &&
     grep -Eq "^ +#####: +[0-9]+: +say\(\"still alive\"\);" "$tmp/crasher.c.gcov"' "$tmp/crasher.c.gcov"
if command -v lcov >/dev/null && command -v genhtml >/dev/null; then
    (cd "$top" && lcov --quiet --capture --directory "$tmp/cov" --output-file "$tmp/pd.info" >"$tmp/lcov.txt" 2>&1)
    check "lcov gathers the counters of the three PDs' sources" \
        'grep -q "^SF:.*tests/systems/crash/first.c$" "$tmp/pd.info" && grep -q "^SF:.*tests/systems/crash/crasher.c$" "$tmp/pd.info" &&
         grep -q "^SF:.*tests/systems/crash/after.c$" "$tmp/pd.info"' "$tmp/lcov.txt"
    genhtml --quiet --output-directory "$tmp/html" "$tmp/pd.info" >"$tmp/genhtml.txt" 2>&1
    check "genhtml draws the HTML report" 'grep -q "crasher.c" "$tmp/html/index.html" 2>/dev/null || grep -rq "crasher.c" "$tmp/html"' \
        "$tmp/genhtml.txt"
else
    check "lcov and genhtml are installed (Debian's lcov: scripts/deps.sh installs it)" false
    check "genhtml draws the HTML report" false
fi
# The crash system again, with an instrumented crasher that has tests/coverage/HELPER.c linked in,
# run with --coverage in $tmp/NAME (output in $tmp/NAME.out).
run_crasher_with() { # run_crasher_with NAME HELPER
    mkdir -p "$tmp/$1"
    cp "$tmp/cov/first.elf" "$tmp/cov/after.elf" "$tmp/$1/"
    cc -std=gnu11 -g -O0 --coverage $sanitize -Iinclude -o "$tmp/$1/crasher.elf" tests/systems/crash/crasher.c \
        "tests/coverage/$2.c" "$build/libhostkit.a" $sanitize
    "$hostkit" run --coverage --search-path "$tmp/$1" "$sys" >"$tmp/$1.out" 2>&1
}
# the monitor's SIGTERM arriving while a PD that faulted is already exiting (inside exit(), before
# libgcov's destructor ran): the counters are written all the same (kernel/coverage.c)
run_crasher_with term term_in_exit
check "a SIGTERM while the faulted PD exits does not lose its counters" \
    '[ -s "$tmp/term/crasher.elf-crasher.gcda" ]' "$tmp/term.out"
# the monitor's SIGTERM arriving, once the PD has faulted, while AddressSanitizer's hook (which the
# compiler calls before a call that cannot return) holds a lock of glibc's: the PD's way out must
# not wait on that lock for ever (kernel/coverage.c, tests/coverage/term_in_no_return.c). Without
# the sanitizer no hook is called, and this is test 3 again.
run_crasher_with hook term_in_no_return
check "a SIGTERM inside the sanitizer's hook does not lose the counters" \
    '[ -s "$tmp/hook/crasher.elf-crasher.gcda" ] && ! grep -q "entered the hook again" "$tmp/hook.out"' "$tmp/hook.out"
check "the man page and --help name --coverage" \
    '"$hostkit" run --help | grep -q -- "--coverage" && grep -q "coverage" "$top/docs/hostkit.1"'
exit $failed
