#!/bin/bash
# test_upstream.sh — Microkit's own examples, built with their own Makefiles against hostkit's SDK
# tree and run on hostkit, compared with what seL4 prints (TAP, run by `make test` through prove).
#
# The examples are example/ of ../shared/sel4/microkit-cfd52163.tar.gz (Microkit 2.3.0+7), unpacked
# afresh into $BUILD/upstream/src, sources and Makefiles unchanged. For each example and board of
# tests/upstream/examples.txt, two tests:
#   build  `make -C EXAMPLE BUILD_DIR=... MICROKIT_SDK=$BUILD/sdk MICROKIT_BOARD=B MICROKIT_CONFIG=debug`
#          with $BUILD/sdk/bin first on PATH (the toolchain names the Makefiles call), as the
#          example's README says to build it; it must leave the loader image the Makefile's -o names;
#   run    that image (a script: `hostkit run` on the system, $HOSTKIT when set) with --timeout;
#          it must end as a system may (exit status 0, 3 timeout or 4 an unhandled fault, not 1, 2
#          or valgrind's 99) and its standard output must be tests/upstream/EXAMPLE.expected, line
#          for line (a serial port's CRLF line ends read as LF, as scripts/sel4-boot.sh reads
#          QEMU's console), but for the lines EXAMPLE.limits names: a host limit (docs/semantics.md),
#          each checked for what hostkit gives instead. EXAMPLE.from says where each
#          transcript came from (seL4 in QEMU, recorded by tests/upstream/record-expected.sh, or
#          the example's README).
# examples.txt says of each step ok, todo (hostkit lacks something it names: a failure is a TAP TODO)
# or cannot (needs what hostkit cannot have: not attempted, a failing TODO naming it). A build that
# fails lists the names the compiler and linker could not find, so that what hostkit's headers lack
# can be read off the output.
#
# Environment: BUILD (default build/), UPSTREAM_EXAMPLES="hello hierarchy" (only these),
# UPSTREAM_TIMEOUT (seconds per run, default 10; 3 for runs with no transcript), V=1 (show every
# build's and run's output).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${BUILD:-$top/build}
sdk=$build/sdk
tarball=$top/../shared/sel4/microkit-cfd52163.tar.gz
timeout=${UPSTREAM_TIMEOUT:-10}
work=$build/upstream

if [ ! -f "$tarball" ]; then
    echo "1..0 # SKIP no Microkit sources: $tarball is missing"
    exit 0
fi
if [ ! -x "$sdk/bin/microkit" ]; then
    echo "1..0 # SKIP no SDK tree at $sdk: run make sdk"
    exit 0
fi

# ---- The manifest: EXAMPLE | BOARDS | BUILD | RUN
trim() { sed 's/^[[:space:]]*//; s/[[:space:]]*$//' <<<"$1"; }
names=() boards=() builds=() runs=()
while IFS='|' read -r name bs b r; do
    name=$(trim "$name")
    case $name in '' | '#'*) continue ;; esac
    if [ -n "${UPSTREAM_EXAMPLES:-}" ] && ! grep -qw -- "$name" <<<"$UPSTREAM_EXAMPLES"; then continue; fi
    names+=("$name") boards+=("$(trim "$bs")") builds+=("$(trim "$b")") runs+=("$(trim "$r")")
done <"$here/examples.txt"

total=0
for bs in "${boards[@]}"; do for _ in $bs; do total=$((total + 2)); done; done
echo "1..$total"

rm -rf "$work"
mkdir -p "$work/src"
if ! tar -xzf "$tarball" -C "$work/src" --strip-components=1 --wildcards '*/example/*'; then
    echo "Bail out! cannot unpack $tarball"
    exit 1
fi

n=0
diag() { sed 's/^/# /'; }
# per example: "built/boards ran/boards", printed on stderr at the end (prove shows it)
declare -A built_count ran_count board_count
# report OK|FAIL STATUS DESCRIPTION: one TAP line; STATUS is the manifest's (ok, todo: R, cannot: R).
report() {
    local result=$1 status=$2 what=$3 directive=""
    n=$((n + 1))
    case $status in
    todo:*) directive=" # TODO ${status#todo: }" ;;
    cannot:*) directive=" # TODO cannot: ${status#cannot: }" ;;
    esac
    if [ "$result" = OK ]; then
        echo "ok $n - $what$directive"
    else
        echo "not ok $n - $what$directive"
    fi
}
# The names a failed build could not find: what hostkit's headers and library lack.
missing_names() {
    sed -n -e "s/.*implicit declaration of function '\([A-Za-z0-9_]*\)'.*/\1/p" \
        -e "s/.*unknown type name '\([A-Za-z0-9_]*\)'.*/\1/p" \
        -e "s/.*'\([A-Za-z0-9_]*\)' undeclared.*/\1/p" \
        -e "s/.*storage size of '\([A-Za-z0-9_]*\)' isn't known.*/\1/p" \
        -e "s/.*has no member named '\([A-Za-z0-9_]*\)'.*/member \1/p" \
        -e "s/.*undefined reference to \`\([A-Za-z0-9_]*\)'.*/\1/p" "$1" | sort -u | paste -sd' ' -
}

# same_as_sel4 EXPECTED LIMITS: standard input is EXPECTED line for line, but for the lines LIMITS
# names (EXAMPLE.limits: LINE | BEFORE | AFTER | MULTIPLE OF | MIN | MAX), a host limit: there the
# line is BEFORE, a space, a number N and AFTER, with N a multiple of MULTIPLE OF in [MIN, MAX].
same_as_sel4() {
    if [ ! -f "$2" ]; then
        cmp -s "$1" -
        return
    fi
    awk -v limits="$2" '
        function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
        function num(s,    v, i) {
            s = trim(s)
            if (s !~ /^0x/) return s + 0
            v = 0
            for (i = 3; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", tolower(substr(s, i, 1))) - 1
            return v
        }
        BEGIN {
            while ((getline l < limits) > 0) {
                if (l ~ /^[ \t]*(#|$)/) continue
                split(l, f, "|")
                k = num(f[1]); before[k] = trim(f[2]) " "; after[k] = trim(f[3])
                mult[k] = num(f[4]); lo[k] = num(f[5]); hi[k] = num(f[6])
            }
        }
        FNR == NR { want[FNR] = $0; nwant = FNR; next }
        {
            n = FNR
            ngot = n
            if (!(n in before)) {
                if (!(n in want) || want[n] != $0) bad = 1
                next
            }
            lb = length(before[n]); la = length(after[n])
            digits = substr($0, lb + 1, length($0) - lb - la)
            if (substr($0, 1, lb) != before[n] || substr($0, length($0) - la + 1) != after[n] || digits !~ /^[0-9]+$/)
                bad = 1
            else if ((digits + 0) % mult[n] != 0 || digits + 0 < lo[n] || digits + 0 > hi[n])
                bad = 1
        }
        END { exit (bad || ngot != nwant) ? 1 : 0 }' "$1" -
}

# limits_note LIMITS: what the TAP description says of the lines LIMITS names, if any.
limits_note() {
    [ -f "$1" ] || return 0
    echo " (line $(grep -v '^[[:space:]]*#' "$1" | cut -d'|' -f1 | tr -d ' ' | grep . | paste -sd, -): a host limit, checked for a value the host can give: $(basename "$1"))"
}

export LC_ALL=C
for i in "${!names[@]}"; do
    ex=${names[$i]} build_status=${builds[$i]} run_status=${runs[$i]}
    for board in ${boards[$i]}; do
        what="$ex on $board"
        board_count[$ex]=$((${board_count[$ex]:-0} + 1))
        dir=$work/build/$ex/$board
        mkdir -p "$dir"
        log=$dir/build.log
        image=""
        # ---- build
        if [ "${build_status%%:*}" = cannot ]; then
            report FAIL "$build_status" "$what: builds with its own Makefile (not attempted)"
        else
            PATH=$sdk/bin:$PATH make -C "$work/src/example/$ex" BUILD_DIR="$dir" MICROKIT_SDK="$sdk" \
                MICROKIT_BOARD="$board" MICROKIT_CONFIG=debug >"$log" 2>&1 </dev/null
            rc=$?
            # The Makefile's tool line names the image: -o loader.img (initialiser.elf on x86_64).
            for f in loader.img initialiser.elf; do [ -f "$dir/$f" ] && image=$dir/$f && break; done
            if [ $rc = 0 ] && [ -n "$image" ]; then
                report OK "$build_status" "$what: builds with its own Makefile"
                built_count[$ex]=$((${built_count[$ex]:-0} + 1))
                [ "${V:-}" = 1 ] && diag <"$log"
            else
                report FAIL "$build_status" "$what: builds with its own Makefile"
                image=""
                echo "make exited with status $rc; its last lines:" | diag
                grep -v '^make' "$log" | tail -n 12 | diag
                m=$(missing_names "$log")
                [ -z "$m" ] || echo "not found: $m" | diag
            fi
        fi
        # ---- run
        expected=$here/$ex.expected
        if [ "${run_status%%:*}" = cannot ]; then
            report FAIL "$run_status" "$what: prints what seL4 prints (not attempted)"
            continue
        fi
        if [ -z "$image" ]; then
            report FAIL "$run_status" "$what: prints what seL4 prints (no image to run)"
            continue
        fi
        t=$timeout
        [ -f "$expected" ] || t=3
        "$image" --timeout "$t" >"$dir/run.out" 2>"$dir/run.err" </dev/null
        rc=$?
        if [ ! -f "$expected" ]; then
            report FAIL "$run_status" "$what: prints what seL4 prints (no transcript to compare with)"
            echo "hostkit run exited with status $rc; it printed:" | diag
            head -n 20 "$dir/run.out" | diag
            head -n 5 "$dir/run.err" | diag
        elif [ $rc != 0 ] && [ $rc != 3 ] && [ $rc != 4 ]; then
            # 0 quiescent, 3 timeout, 4 a fault nobody handled: how a system may end; anything
            # else is hostkit refusing it (1, 2) or an error found under valgrind (99).
            report FAIL "$run_status" "$what: prints what seL4 prints (hostkit run exited with status $rc)"
            head -n 10 "$dir/run.err" | diag
        elif limited=$(limits_note "$here/$ex.limits") &&
            sed 's/\r$//' "$dir/run.out" | same_as_sel4 "$expected" "$here/$ex.limits"; then
            report OK "$run_status" "$what: prints what seL4 prints$limited"
            ran_count[$ex]=$((${ran_count[$ex]:-0} + 1))
            [ "${V:-}" = 1 ] && diag <"$dir/run.out"
        else
            report FAIL "$run_status" "$what: prints what seL4 prints"
            echo "hostkit run exited with status $rc; diff expected actual:" | diag
            sed 's/\r$//' "$dir/run.out" | diff -u "$expected" - | tail -n +3 | head -n 30 | diag
            head -n 5 "$dir/run.err" | diag
        fi
    done
done
{
    echo "# Microkit's examples on hostkit (builds, runs printing what seL4 prints / boards):"
    for i in "${!names[@]}"; do
        ex=${names[$i]}
        b=${built_count[$ex]:-0} r=${ran_count[$ex]:-0} all=${board_count[$ex]} why=""
        if [ "$b" != "$all" ]; then why="; build: ${builds[$i]}"; elif [ "$r" != "$all" ]; then why="; run: ${runs[$i]}"; fi
        printf '#   %-22s built %s/%s, ran %s/%s%s\n' "$ex" "$b" "$all" "$r" "$all" "$why"
    done
} >&2
