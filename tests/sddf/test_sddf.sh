#!/bin/bash
# test_sddf.sh — sDDF on hostkit (TAP; `make test-sddf`, and `make test` when ../shared/sddf is
# there). The pinned sDDF (../shared/sddf/sddf-*.tar.gz) is unpacked afresh into $BUILD/sddf/src;
# its examples are built for x86_64_generic with their own, unchanged Makefiles against hostkit's SDK
# tree ($BUILD/sdk: its bin/ first on PATH, its lib/python, hostkit's sdfgen, on PYTHONPATH, so
# each meta.py writes the .system and *.data files), run from their loader.img, and checked for
# everything sDDF's CI (ci/examples/NAME.py) waits for and expects, with the input it types:
# tests/sddf/NAME.ci is that dialogue (ci_dialogue.py reads it; the input goes to COM1 as a
# script, docs/devices.md). One case per example, named after it, and first one for the
# configuration structures hostkit's sdfgen lays out from sDDF's headers, which the compiler checks;
# for echo_server also one for its components, which must compile and link unchanged, and one for
# the network it runs on (the virtio-net device's hub, docs/devices.md): both clients leased an
# address by the hub's DHCP server, and the hub's echo client's UDP datagrams to each client's echo
# port all came back unchanged. echo_server never quiesces (lwIP's timer ticks): it runs to its
# timeout.
#
# examples/serial runs for qemu_virt_aarch64 and qemu_virt_riscv64 too (a case each): its meta.py
# reads the board's device tree (hostkit's sdfgen, dtb.py) and its driver is sDDF's PL011 driver on
# the aarch64 board's PL011, its ns16550a driver on the riscv64 board's memory-mapped 16550
# (docs/devices.md), every register access trapped. sDDF's custom libc is partly assembly of the
# board's architecture there, which the host cannot assemble: that build says SDDF_CUSTOM_LIBC=0 on make's command line (the
# Makefile is unchanged), and the PDs use the host's C library, as every hostkit PD can.
#
# Environment: BUILD (default build/), SDDF_EXAMPLES="serial timer" (only these), V=1 (show the
# builds' and runs' output).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${BUILD:-$top/build}
sdk=$build/sdk
work=$build/sddf
board=x86_64_generic
tarball=$(ls "$top"/../shared/sddf/sddf-*.tar.gz 2>/dev/null | head -n 1)

# EXAMPLE | TIMEOUT | EXIT | STATUS [| BOARD]: the run's --timeout and the exit status it must end
# with (0 quiescent once the dialogue is over, 3 its timeout for a system that never is), ok or
# todo: REASON (a TAP TODO naming what hostkit lacks), and the board (default x86_64_generic).
examples=(
    "serial | 20 | 0 | ok"
    "serial | 20 | 0 | ok | qemu_virt_aarch64"
    "serial | 20 | 0 | ok | qemu_virt_riscv64"
    "timer | 6.5 | 3 | ok"
    "blk | 20 | 0 | ok"
    "echo_server | 15 | 3 | ok"
)

if [ -z "$tarball" ]; then
    echo "1..0 # SKIP no sDDF sources: ../shared/sddf/sddf-*.tar.gz is missing"
    exit 0
fi
if [ ! -x "$sdk/bin/microkit" ] || [ ! -d "$sdk/lib/python/sdfgen" ]; then
    echo "1..0 # SKIP no SDK tree with hostkit's sdfgen at $sdk: run make sdk"
    exit 0
fi
for tool in python3 clang make; do
    if ! command -v $tool >/dev/null; then
        echo "1..0 # SKIP no $tool (scripts/deps.sh installs it)"
        exit 0
    fi
done

selected=()
for e in "${examples[@]}"; do
    name=$(sed 's/ *|.*//' <<<"$e")
    if [ -n "${SDDF_EXAMPLES:-}" ] && ! grep -qw -- "$name" <<<"$SDDF_EXAMPLES"; then continue; fi
    selected+=("$e")
done
extra=0
for e in "${selected[@]}"; do case $e in echo_server*) extra=2 ;; esac; done
echo "1..$((1 + extra + ${#selected[@]}))"

rm -rf "$work"
mkdir -p "$work/src"
if ! tar -xzf "$tarball" -C "$work/src" --strip-components=1; then
    echo "Bail out! cannot unpack $tarball"
    exit 1
fi
src=$work/src
export PYTHONDONTWRITEBYTECODE=1
diag() { cut -c 1-240 | sed 's/^/# /'; }
n=0
report() { # OK|FAIL DIRECTIVE DESCRIPTION
    n=$((n + 1))
    local d=""
    [ -n "$2" ] && d=" # TODO $2"
    if [ "$1" = OK ]; then echo "ok $n - $3$d"; else echo "not ok $n - $3$d"; fi
}

# ---- 1: the configuration structures, as laid out by hostkit's sdfgen, checked by the compiler
probe=$work/layout_probe.c
inc="-I$src/include -I$src/include/microkit -I$src/include/sddf/util/custom_libc -I$sdk/board/$board/debug/include"
inc="$inc -I$src/network/ipstacks/lwip/src/include -I$src/examples/echo_server/include/lwip -I$src/examples/echo_server/include"
if PYTHONPATH=$sdk/lib/python python3 -m sdfgen.cstruct --probe "$src" "$sdk/board/$board/debug/include" >"$probe" 2>"$work/probe.err" &&
    cc -std=gnu11 -fsyntax-only $inc "$probe" >"$work/probe.log" 2>&1; then
    report OK "" "configuration structures: hostkit's sdfgen lays out all $(grep -c _Static_assert "$probe") sizes and offsets as the compiler does"
else
    report FAIL "" "configuration structures: hostkit's sdfgen lays out every size and offset as the compiler does"
    cat "$work/probe.err" "$work/probe.log" | head -n 20 | diag
fi

# ---- one case per example
for e in "${selected[@]}"; do
    IFS='|' read -r name timeout want status on <<<"$e"
    name=$(echo $name) timeout=$(echo $timeout) want=$(echo $want) status=$(echo $status)
    board=$(echo ${on:-x86_64_generic})
    todo=""
    [ "$status" != ok ] && todo=${status#todo: }
    out=$work/build/$name
    uart=com1 makeargs=()
    if [ "$board" != x86_64_generic ]; then
        out=$work/build/$name-$board uart=uart makeargs=(SDDF_CUSTOM_LIBC=0)
    fi
    mkdir -p "$out"
    what="examples/$name on $board: built with its own Makefile, prints what sDDF's CI looks for"
    if [ "$board" != x86_64_generic ] && ! command -v dtc >/dev/null; then
        n=$((n + 1))
        echo "ok $n - $what # SKIP no dtc for the board's device tree (scripts/deps.sh sddf: device-tree-compiler)"
        continue
    fi
    start=$EPOCHREALTIME
    PATH=$sdk/bin:$PATH PYTHONPATH=$sdk/lib/python make -C "$src/examples/$name" BUILD_DIR="$out" \
        MICROKIT_SDK="$sdk" MICROKIT_BOARD=$board MICROKIT_CONFIG=debug "${makeargs[@]}" >"$out/build.log" 2>&1 </dev/null
    rc=$?
    built=$EPOCHREALTIME
    if [ "$name" = echo_server ]; then
        # its images are built before meta.py runs: they must all compile and link unchanged
        images=$(echo $(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$src/examples/$name/echo.mk" | sed -n 's/^IMAGES *:= *//p' | head -n 1))
        missing=""
        for i in $images; do [ -f "$out/$i" ] || missing="$missing $i"; done
        if [ -n "$images" ] && [ -z "$missing" ]; then
            report OK "" "examples/$name's components ($images) compile and link unchanged"
        else
            report FAIL "" "examples/$name's components compile and link unchanged (missing:${missing:- the IMAGES list})"
            grep -E 'error|undefined' "$out/build.log" | head -n 8 | diag
        fi
    fi
    if [ $rc != 0 ] || [ ! -x "$out/loader.img" ]; then
        [ "$name" = echo_server ] && report FAIL "" "examples/$name on hostkit's network: not built, not run"
        report FAIL "$todo" "$what"
        echo "make exited with status $rc; its last lines:" | diag
        grep -v '^make' "$out/build.log" | tail -n 12 | diag
        continue
    fi
    [ "${V:-}" = 1 ] && diag <"$out/build.log"
    run=(--timeout "$timeout")
    if [ "$name" = blk ]; then
        # the disk blk.py makes: sDDF's own tool, 1 GPT partition, 512-byte sectors, 16 MiB
        if ! PATH=$PATH:/usr/sbin:/sbin "$src/tools/mkvirtdisk" "$out/disk" 1 512 16777216 GPT >"$out/disk.log" 2>&1; then
            n=$((n + 1))
            echo "ok $n - $what # SKIP sDDF's tools/mkvirtdisk cannot make the disk (fdisk, gdisk, dosfstools: scripts/deps.sh)"
            tail -n 3 "$out/disk.log" | diag
            continue
        fi
        run+=(--device "blk,file=$out/disk")
    fi
    if grep -q '^send ' "$here/$name.ci"; then
        python3 "$here/ci_dialogue.py" --input "$here/$name.ci" >"$out/input.script"
        run+=(--device "$uart,script=$out/input.script")
    fi
    "$out/loader.img" "${run[@]}" >"$out/run.out" 2>"$out/run.err" </dev/null
    rc=$?
    ran=$EPOCHREALTIME
    if [ "$name" = echo_server ]; then
        # the hub says what it leased and what came back (virtio_net.c, net_hub.c); 10 datagrams each
        leased=$(grep -c '^hostkit: net: DHCP: leased 10\.0\.2\.1[56] to ' "$out/run.err")
        echoed=$(grep -c '^hostkit: net: UDP echo to 10\.0\.2\.1[56] port 1235: 10 of 10 datagrams came back unchanged (0 wrong)' "$out/run.err")
        rtt=$(sed -n 's/^hostkit: net: UDP echo to .*round trip mean \([0-9]*\) us.*/\1/p' "$out/run.err" | tr '\n' ' ')
        if [ "$leased" = 2 ] && [ "$echoed" = 2 ]; then
            report OK "" "examples/$name on hostkit's network: the hub's DHCP server leased both clients an address, and its UDP echoes to each came back unchanged (round trip mean, us: ${rtt% })"
        else
            report FAIL "" "examples/$name on hostkit's network: both clients leased an address, the hub's UDP echoes to each came back unchanged"
            echo "$leased of 2 leases and $echoed of 2 echo runs done; the hub said:" | diag
            grep '^hostkit: net' "$out/run.err" | head -n 6 | diag
        fi
    fi
    times=$(awk -v a="$start" -v b="$built" -v c="$ran" 'BEGIN { printf "build %.1f s, run %.1f s", b - a, c - b }')
    if [ $rc != "$want" ]; then
        report FAIL "$todo" "$what"
        echo "hostkit run exited with status $rc, not $want; stderr:" | diag
        head -n 10 "$out/run.err" | diag
        head -c 2000 "$out/run.out" | cat -v | diag
    elif ! msg=$(python3 "$here/ci_dialogue.py" "$here/$name.ci" "$out/run.out"); then
        report FAIL "$todo" "$what"
        echo "$msg" | diag
        head -c 3000 "$out/run.out" | cat -v | diag
        head -n 5 "$out/run.err" | diag
    else
        report OK "$todo" "$what ($times)"
        [ "${V:-}" = 1 ] && cat -v "$out/run.out" | diag
    fi
done
exit 0
