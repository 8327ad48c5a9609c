#!/usr/bin/env bash
# record.sh — records what seL4 prints for differential cases: the expectation (sel4.txt) that
# tests/test_differential.sh compares hostkit's output with.
#
#   tests/differential/record.sh [--check] NAME...     (no NAME: every case)
#
# For each case it builds tests/differential/NAME/ for qemu_virt_aarch64 and qemu_virt_riscv64
# with the Microkit SDK (tests/differential/case.mk), boots each loader image in QEMU
# (scripts/sel4-boot.sh) for SEL4_WAIT seconds (default 3: a case is done in well under one), and
# checks that the two boards printed the same lines; then it writes them to NAME/sel4.txt (a case
# with a file NAME/boards is built and booted only for the boards it lists: an AArch64-only call,
# recorded from qemu_virt_aarch64). The lines
# are exactly what the system printed after the monitor's boot lines, monitor lines included.
# --check compares with the committed sel4.txt instead of writing it.
#
# A case directory with a file libmicrokit-2.3.txt is built against libmicrokit 2.3 (from
# ../shared/sel4's newest Microkit, compiled for the 2.0.1 SDK's kernel by
# tests/differential/libmicrokit-2.3.sh) instead of the SDK's own 2.0.1: its sel4.txt is what
# Microkit 2.3's libmicrokit does on seL4. When the case also builds with 2.0.1 and prints
# something else there, that goes to NAME/sel4-2.0.1.txt, for the record.
#
# Settings: MICROKIT_SDK (default build/sel4-sdk/microkit-sdk-2.0.1), the Microkit 2.0.1 SDK with
# both boards; SEL4_WAIT. The riscv64 build needs riscv64-unknown-elf-* tools on PATH (see
# ../shared/sel4/README.md). Exit status 0 when every case was recorded (or matched, with --check).
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
DIFF_DIR=$TOP/tests/differential
BUILD=${BUILD:-$TOP/build}
SDK=${MICROKIT_SDK:-$BUILD/sel4-sdk/microkit-sdk-2.0.1}
WAIT=${SEL4_WAIT:-3}
BOARDS="qemu_virt_aarch64 qemu_virt_riscv64"
check=0
if [ "${1:-}" = --check ]; then check=1; shift; fi
[ -x "$SDK/bin/microkit" ] || { echo "record.sh: no Microkit SDK at $SDK (set MICROKIT_SDK)" >&2; exit 2; }
unset MAKEFLAGS MAKELEVEL MICROKIT_BUILD_DIR MICROKIT_SYSTEM

if [ $# = 0 ]; then
    set -- $(cd "$DIFF_DIR" && for d in */; do [ -f "$d${d%/}.system" ] && echo "${d%/}"; done)
fi

SDK23=
sdk_23() { # the 2.0.1 SDK with libmicrokit 2.3 in place of its own, built once
    if [ -z "$SDK23" ]; then
        SDK23=$("$DIFF_DIR/libmicrokit-2.3.sh" "$SDK" "$BUILD/libmicrokit-2.3") || return 1
    fi
    echo "$SDK23"
}

# boot CASE SDK TAG: builds CASE with SDK for both boards into $BUILD/TAG/, boots them; the
# aarch64 transcript goes to $out/TAG.qemu_virt_aarch64 and so on. Fails if a build or boot fails.
boot() {
    local name=$1 sdk=$2 tag=$3 board img rc boards=$BOARDS
    [ -f "$DIFF_DIR/$name/boards" ] && boards=$(cat "$DIFF_DIR/$name/boards")
    for board in $boards; do
        local bdir=$BUILD/$tag/$name/$board/debug
        if ! make --no-print-directory -C "$DIFF_DIR/$name" -f ../case.mk MICROKIT_SDK="$sdk" \
            MICROKIT_BOARD="$board" BUILD="$BUILD" MICROKIT_BUILD_DIR="$bdir" >"$out/$tag.build" 2>&1; then
            echo "$name: the $tag build for $board failed:" >&2
            tail -20 "$out/$tag.build" >&2
            return 1
        fi
        "$TOP/scripts/sel4-boot.sh" "$board" "$bdir/loader.img" --timeout "$WAIT" >"$out/$tag.$board"
        rc=$?
        if [ $rc != 0 ]; then
            echo "$name: booting the $tag image on $board failed (exit $rc)" >&2
            return 1
        fi
    done
    [ "$(echo $boards | wc -w)" = 2 ] || return 0
    if ! diff -u "$out/$tag.qemu_virt_aarch64" "$out/$tag.qemu_virt_riscv64" >"$out/boards.diff"; then
        echo "$name: qemu_virt_aarch64 and qemu_virt_riscv64 differ ($tag):" >&2
        cat "$out/boards.diff" >&2
        return 1
    fi
}

status=0
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for name in "$@"; do
    dir=$DIFF_DIR/$name
    [ -f "$dir/$name.system" ] || { echo "$name: no $dir/$name.system" >&2; status=1; continue; }
    rm -f "$out"/*
    if [ -f "$dir/libmicrokit-2.3.txt" ]; then
        sdk23=$(sdk_23) || { status=1; continue; }
        boot "$name" "$sdk23" microkit-2.3 || { status=1; continue; }
        result=$out/microkit-2.3.qemu_virt_aarch64
        if boot "$name" "$SDK" microkit 2>/dev/null && ! cmp -s "$out/microkit.qemu_virt_aarch64" "$result"; then
            old=$out/microkit.qemu_virt_aarch64
        else
            old=
        fi
    else
        boot "$name" "$SDK" microkit || { status=1; continue; }
        result=$out/microkit.qemu_virt_aarch64 old=
    fi
    if [ $check = 1 ]; then
        if diff -u "$dir/sel4.txt" "$result" >"$out/check.diff"; then
            echo "$name: seL4 prints sel4.txt ($(wc -l <"$result") lines, both boards)"
        else
            echo "$name: seL4 no longer prints sel4.txt:" >&2
            cat "$out/check.diff" >&2
            status=1
        fi
    else
        cp "$result" "$dir/sel4.txt"
        if [ -n "$old" ]; then cp "$old" "$dir/sel4-2.0.1.txt"; else rm -f "$dir/sel4-2.0.1.txt"; fi
        agree="both boards agree"
        [ -f "$dir/boards" ] && agree="on $(cat "$dir/boards")"
        echo "$name: recorded $(wc -l <"$result") lines ($agree)${old:+; 2.0.1 differs: sel4-2.0.1.txt}"
    fi
done
exit $status
