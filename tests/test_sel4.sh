#!/usr/bin/env bash
# test_sel4.sh — seL4 is the judge: every example and every differential case is built from the
# same sources for hostkit and for seL4 (the Microkit 2.0.1 SDK that `make sel4-sdk` builds), booted
# on each board in QEMU (scripts/sel4-boot.sh) and run by `hostkit run`; the two outputs must be
# equal line by line. One TAP case per system and board; on a difference the diff (seL4 `-`,
# hostkit `+`) follows as comments. `make test-sel4` runs it; `make test` too when ../shared/sel4
# is there.
#
# What is compared: everything seL4 prints after the Microkit monitor's boot lines (sel4-boot.sh
# drops them; the monitor's later lines, `MON|INFO: PD 'x' is now passive!` and fault reports, are
# kept), up to and including the last line of the system's transcript (QEMU is stopped there: the
# transcript's last line is the last the system prints), and all that `hostkit run` prints (to
# quiescence, or its timeout; when hostkit prints the monitor's boot lines too, up to its
# `MON|INFO: completed system invocations`, those are dropped alike).
#   - an example (examples/X/ with a Makefile): the transcript is examples/X/expected.txt;
#   - a differential case (tests/differential/NAME/, built with ../case.mk): NAME/sel4.txt, seL4's
#     recorded transcript. A case without one fails, and what seL4 printed in a few seconds is
#     left in the work directory to be checked and recorded.
#   NAME/sel4-BOARD.txt, when it exists, is the transcript on that board instead; a case with a
#   file NAME/boards (one architecture's call) is judged on the boards it lists only, and hostkit
#   runs it with --board the first.
# Marks, in the system's directory (first line `reason: ONE LINE`):
#   - sel4-difference.txt: a known difference, written in docs/semantics.md (the reason names the
#     section). The case carries `# TODO reason`. Lines after the first, if any, are what hostkit
#     prints instead of seL4's transcript, whole: then hostkit must print exactly those (else the
#     case fails, not TODO); hostkit printing seL4's lines shows as a passing TODO (drop the file).
#   - sel4-cannot.txt: the system cannot run on seL4 in QEMU as it is (it needs what QEMU's boards
#     or the 2.0.1 SDK do not have); reported `not ok ... # TODO reason`, never a skip: prove counts
#     it, and a TODO that passes says the mark is stale.
#   - for a differential case, a line `NAME reason` in tests/differential/hostkit-todo.txt: hostkit
#     is known to differ and is to be fixed; `# TODO reason` (as tests/test_differential.sh does).
#   - NAME/libmicrokit-2.3.txt: the case is built for seL4 against Microkit 2.3's libmicrokit
#     (tests/differential/libmicrokit-2.3.sh makes that SDK from the 2.0.1 one), since hostkit
#     follows the newest release where libmicrokit changed.
# A differential case is built for hostkit in a copy under the work directory (as
# tests/test_differential.sh does), so the plain and SANITIZE=1 images never mix.
#
# Environment: SEL4_SDK (default build/sel4-sdk/microkit-sdk-2.0.1), SEL4_NANOPB (nanopb's C
# runtime, default build/sel4-sdk/nanopb-0.4.7), SEL4_SOURCES (only whether it exists is looked
# at: default ../shared/sel4), HOSTKIT, BUILD, SEL4_TIMEOUT (seconds per boot and per hostkit run,
# default 10), SEL4_ONLY (an extended regex: only the systems whose name, e.g. `examples/ipc` or
# `differential/notify_higher`, matches). Work files: $BUILD/sel4-test/NAME/ (hostkit.txt,
# BOARD/sel4.txt, BOARD/loader.img, build logs).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
hostkit=${HOSTKIT:-$build/hostkit}
sources=${SEL4_SOURCES:-$top/../shared/sel4}
sdk=${SEL4_SDK:-$top/build/sel4-sdk/microkit-sdk-2.0.1}
sdk_bin=$(dirname "$sdk")/bin # the riscv64-unknown-elf-* names, which libmicrokit-2.3.sh uses
nanopb=${SEL4_NANOPB:-$top/build/sel4-sdk/nanopb-0.4.7}
timeout=${SEL4_TIMEOUT:-10}
only=${SEL4_ONLY:-}
boards="qemu_virt_aarch64 qemu_virt_riscv64"
work=$build/sel4-test
boot_line="MON|INFO: completed system invocations"
# The sub-makes are ours, not the calling make's jobs.
unset MAKEFLAGS MFLAGS MAKELEVEL MICROKIT_SDK MICROKIT_BOARD MICROKIT_CONFIG MICROKIT_BUILD_DIR \
    MICROKIT_SYSTEM MICROKIT_TOOLCHAIN MICROKIT_CROSS_COMPILE MICROKIT_ARCH MICROKIT_CFLAGS NANOPB_SRC

if [ ! -d "$sources" ]; then
    echo "1..0 # SKIP no seL4 sources ($sources): make sel4-sdk builds seL4 from them"
    exit 0
fi
if [ ! -x "$sdk/bin/microkit" ]; then
    echo "1..0 # SKIP no Microkit SDK at $sdk: run make sel4-sdk (make test-sel4 does)"
    exit 0
fi
[ -x "$hostkit" ] || { echo "1..0 # SKIP no hostkit at $hostkit: run make"; exit 0; }

# ---- The systems: examples first, then the differential cases ----
names=() dirs=() makefiles=()
for d in "$top"/examples/*/; do
    d=${d%/}
    [ -f "$d/Makefile" ] || continue
    names+=("examples/${d##*/}") dirs+=("$d") makefiles+=("")
done
for d in "$top"/tests/differential/*/; do
    d=${d%/}
    ls "$d"/*.system >/dev/null 2>&1 || continue
    names+=("differential/${d##*/}") dirs+=("$d") makefiles+=("../case.mk")
done
selected=()
for i in "${!names[@]}"; do
    [ -z "$only" ] || [[ ${names[$i]} =~ $only ]] && selected+=("$i")
done
# The boards a system is judged on: all, or those its file `boards` lists (a differential case
# about one architecture's call, as tests/differential/README.md says).
boards_of() { if [ -f "$1/boards" ]; then cat "$1/boards"; else echo $boards; fi; }
nboards=$(echo "$boards" | wc -w)
plan=0
for i in "${selected[@]}"; do plan=$((plan + $(boards_of "${dirs[$i]}" | wc -w))); done
echo "1..$plan"

n=0
start=$SECONDS
comment() { sed 's/^/# /' "$@"; }
# tap STATUS DESCRIPTION [DIRECTIVE]: STATUS is ok or "not ok".
tap() {
    n=$((n + 1))
    echo "$1 $n - $2${3:+ # $3}"
}
todo_list=$top/tests/differential/hostkit-todo.txt
sdk23=""
# Sets this_sdk to the SDK to build system $1 (its directory) with for seL4; fails (this_sdk then
# says why) when it cannot be had.
pick_sdk() {
    this_sdk=$sdk
    [ -f "$1/libmicrokit-2.3.txt" ] || return 0
    if [ -z "$sdk23" ] && [ -x "$top/tests/differential/libmicrokit-2.3.sh" ]; then
        sdk23=$(PATH=$sdk_bin:$PATH "$top/tests/differential/libmicrokit-2.3.sh" "$sdk" "$build/libmicrokit-2.3" \
            2>"$work/libmicrokit-2.3.log") || sdk23=""
    fi
    this_sdk=${sdk23:-"no SDK with libmicrokit 2.3 (tests/differential/libmicrokit-2.3.sh; $work/libmicrokit-2.3.log)"}
    [ -n "$sdk23" ]
}
# The first line of a mark file, without its `reason: `.
reason_of() { sed -n '1s/^reason:[[:space:]]*//p' "$1"; }
# Drops hostkit's copy of the monitor's boot lines (through $boot_line), if it prints them.
drop_boot() {
    if grep -qxF "$boot_line" "$1"; then
        awk -v b="$boot_line" 'booted { print } $0 == b { booted = 1 }' "$1"
    else
        cat "$1"
    fi
}
mk() { # DIR MAKEFILE(or "") ARGS... — one build, quiet
    local d=$1 f=$2
    shift 2
    make --no-print-directory -s -C "$d" ${f:+-f "$f"} "$@"
}

for i in "${selected[@]}"; do
    name=${names[$i]} dir=${dirs[$i]} makefile=${makefiles[$i]}
    sys_boards=$(boards_of "$dir")
    board_opt=()
    [ -f "$dir/boards" ] && board_opt=(--board "$(head -n 1 "$dir/boards")")
    out=$work/$name
    rm -rf "$out"
    mkdir -p "$out"
    if [ -f "$dir/sel4-cannot.txt" ]; then
        for b in $sys_boards; do
            tap "not ok" "$name ($b): cannot be booted on seL4 in QEMU" "TODO $(reason_of "$dir/sel4-cannot.txt")"
        done
        continue
    fi
    system=$(ls "$dir"/*.system)
    todo="" alt=""
    if [ -n "$makefile" ] && [ -f "$todo_list" ]; then
        todo=$(sed -n "s/^${dir##*/}[[:space:]]\{1,\}//p" "$todo_list" | head -n 1)
    fi
    if [ -f "$dir/sel4-difference.txt" ]; then
        todo=$(reason_of "$dir/sel4-difference.txt")
        [ -n "$todo" ] || todo="(sel4-difference.txt has no 'reason:' first line)"
        tail -n +2 "$dir/sel4-difference.txt" >"$out/alternative.txt"
        [ -s "$out/alternative.txt" ] && alt=$out/alternative.txt
    fi

    # hostkit: build and run once, for both boards.
    t=$SECONDS
    hk_ok=1 hkdir=$dir
    if [ -n "$makefile" ]; then
        hkdir=$out/hostkit-src makefile=$top/tests/differential/case.mk
        mkdir -p "$hkdir"
        cp "$dir"/*.system "$hkdir/"
        cp "$dir"/*.c "$dir"/*.h "$hkdir/" 2>/dev/null
        system=$hkdir/${system##*/}
    fi
    if ! mk "$hkdir" "$makefile" >"$out/hostkit-build.log" 2>&1; then
        hk_ok=0
        echo "hostkit build failed:" >"$out/hostkit-problem.txt"
        tail -n 20 "$out/hostkit-build.log" >>"$out/hostkit-problem.txt"
    fi
    # seL4: the boards' builds, side by side (two at a time at most).
    sdk_ok=0
    pick_sdk "$dir" || sdk_ok=1
    if [ $sdk_ok = 0 ]; then
        for b in $sys_boards; do
            mkdir -p "$out/$b"
            { mk "$dir" "$makefile" MICROKIT_SDK="$this_sdk" MICROKIT_BOARD="$b" MICROKIT_BUILD_DIR="$out/$b" \
                NANOPB_SRC="$nanopb" >"$out/$b/build.log" 2>&1; echo $? >"$out/$b/build.status"; } &
        done
        wait
    fi
    for b in $sys_boards; do
        # This board's transcript, for the line to stop at.
        transcript=""
        for f in "$dir/sel4-$b.txt" "$dir/sel4.txt" $([ -z "$makefile" ] && echo "$dir/expected.txt"); do
            [ -f "$f" ] && { transcript=$f; break; }
        done
        last=$([ -n "$transcript" ] && tail -n 1 "$transcript")
        bout=$out/$b
        mkdir -p "$bout"
        problem=""

        # hostkit's run, once for both boards: to its end (quiescence; or the timeout, exit 3).
        if [ $hk_ok = 1 ] && [ ! -f "$out/hostkit.txt" ]; then
            (cd "$hkdir" && "$hostkit" run "${board_opt[@]}" --timeout "$timeout" "$system") >"$out/hostkit.raw" 2>"$out/hostkit.stderr"
            echo $? >"$out/hostkit.status"
            # (with --board, the UART console's CR LF read as LF, as sel4-boot.sh reads QEMU's)
            drop_boot "$out/hostkit.raw" | sed -E -e 's/\r$//' -f "$top/scripts/mask-kernel-ids.sed" >"$out/hostkit.txt"
        fi

        # seL4: boot the board's build, stop at the last line.
        if [ $sdk_ok != 0 ]; then
            problem=$this_sdk
        elif [ "$(cat "$bout/build.status")" != 0 ]; then
            problem="seL4 build for $b failed: $(tail -n 20 "$bout/build.log")"
        else
            if [ -n "$last" ]; then
                "$top/scripts/sel4-boot.sh" "$b" "$bout/loader.img" --until "$last" --timeout "$timeout" \
                    >"$bout/sel4.txt" 2>"$bout/boot.stderr"
            else
                "$top/scripts/sel4-boot.sh" "$b" "$bout/loader.img" --timeout 3 >"$bout/sel4.txt" 2>"$bout/boot.stderr"
            fi
            boot_status=$?
            if [ -z "$transcript" ]; then
                problem="no ${dir#"$top"/}/sel4.txt: seL4's transcript is not recorded; seL4 printed in 3 s (in $bout/sel4.txt):
$(cat "$bout/sel4.txt")"
            elif [ $boot_status != 0 ]; then
                problem="seL4 did not print the last line '$last' (sel4-boot.sh exit $boot_status): $(cat "$bout/boot.stderr")
$(diff -u --label "seL4 ($b), as far as it got" --label hostkit "$bout/sel4.txt" "$out/hostkit.txt")"
            fi
        fi
        [ $hk_ok = 1 ] || problem="$(cat "$out/hostkit-problem.txt")${problem:+
$problem}"

        desc="$name ($b)"
        if [ -n "$problem" ]; then
            tap "not ok" "$desc" "${todo:+TODO $todo}"
            printf '%s\n' "$problem" | comment
            continue
        fi
        if diff -u --label "seL4 ($b)" --label hostkit "$bout/sel4.txt" "$out/hostkit.txt" >"$bout/diff.txt"; then
            tap ok "$desc" "${todo:+TODO $todo}"
        elif [ -n "$alt" ]; then
            # A documented difference with hostkit's lines given: they must be exactly those.
            if diff -u --label "sel4-difference.txt" --label hostkit "$alt" "$out/hostkit.txt" >"$bout/alt-diff.txt"; then
                tap "not ok" "$desc" "TODO $todo"
                comment "$bout/diff.txt"
            else
                tap "not ok" "$desc"
                echo "hostkit prints neither seL4's lines nor those of sel4-difference.txt:" | comment
                comment "$bout/diff.txt" "$bout/alt-diff.txt"
            fi
        else
            tap "not ok" "$desc" "${todo:+TODO $todo}"
            comment "$bout/diff.txt"
            if [ "$(cat "$out/hostkit.status")" != 0 ]; then
                echo "hostkit run exited $(cat "$out/hostkit.status"):" | comment
                tail -n 5 "$out/hostkit.stderr" | comment
            fi
        fi
        # A transcript that is not what seL4 printed today is worth saying.
        if [ -n "$transcript" ] && ! cmp -s "$transcript" "$bout/sel4.txt"; then
            echo "note: seL4 printed other lines than ${transcript#"$top"/}" | comment
        fi
    done
    echo "# $name: $((SECONDS - t)) s"
done
echo "# test_sel4: ${#selected[@]} systems on up to $nboards boards ($plan runs) in $((SECONDS - start)) s"
