#!/bin/bash
# record-expected.sh — records what seL4 prints for Microkit's examples, as the transcripts
# tests/upstream/test_upstream.sh compares hostkit's output with:
#
#   tests/upstream/record-expected.sh --sel4 MICROKIT_SDK [EXAMPLE...]
#       builds each EXAMPLE (default: every example of examples.txt whose build is not `cannot`) from example/ of
#       ../shared/sel4/microkit-cfd52163.tar.gz, with its own Makefile, against a real Microkit SDK
#       (e.g. /work/notes/sel4-handbuilt/microkit-sdk-2.0.1, or `make sel4-sdk`'s), for each of
#       qemu_virt_aarch64 and qemu_virt_riscv64 the SDK has; boots each loader.img on seL4 in QEMU
#       with scripts/sel4-boot.sh for TIMEOUT seconds (everything after the monitor's boot log);
#       requires the boards to print the same; writes EXAMPLE.expected and EXAMPLE.from (where it
#       came from). An example the SDK cannot build, or that does not boot, is left as it was and
#       named at the end.
#   tests/upstream/record-expected.sh --readme EXAMPLE...
#       takes the output the example's README.md shows (its first ``` block after a line that
#       mentions output), without the lines of seL4's boot log that scripts/sel4-boot.sh drops
#       too (the CapDL initialiser's INFO lines, "MON|INFO: Microkit Monitor started!").
#
# Toolchains: the Makefiles call aarch64-none-elf-gcc/-ld and riscv64-unknown-elf-gcc/-ld; when
# those are not on PATH, Debian's aarch64-linux-gnu-* and riscv64-linux-gnu-* are used in their
# place, with -fno-pic -fno-pie (and -mno-outline-atomics for aarch64: the PDs are linked with ld
# alone, without libgcc).
# Environment: TIMEOUT (seconds each boot is watched, default 10).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
tarball=$top/../shared/sel4/microkit-cfd52163.tar.gz
timeout=${TIMEOUT:-10}
usage() { echo "usage: $0 --sel4 MICROKIT_SDK [EXAMPLE...] | --readme EXAMPLE..." >&2; exit 2; }
[ $# -ge 1 ] || usage
mode=$1
shift
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xzf "$tarball" -C "$tmp" --strip-components=1 --wildcards '*/example/*' || exit 1
revision=$(basename "$tarball" .tar.gz)

case $mode in
--readme)
    [ $# -ge 1 ] || usage
    for ex in "$@"; do
        readme=$tmp/example/$ex/README.md
        awk '/[Oo]utput/ { seen = 1 } seen && /^```/ { if (inblock) exit; inblock = 1; next } inblock' "$readme" |
            grep -v -e '^INFO  \[sel4_capdl_initializer' -e '^MON|INFO: Microkit Monitor started!$' >"$tmp/out"
        if [ ! -s "$tmp/out" ]; then
            echo "$ex: its README shows no output" >&2
            continue
        fi
        mv "$tmp/out" "$here/$ex.expected"
        cat >"$here/$ex.from" <<EOF
$ex.expected: from example/$ex/README.md of Microkit $revision (the output it shows), written by
tests/upstream/record-expected.sh --readme $ex on $(date -u +%Y-%m-%d). seL4's boot log lines
(the CapDL initialiser's INFO lines, "MON|INFO: Microkit Monitor started!") are left out, as
scripts/sel4-boot.sh leaves them out of a transcript. No SDK that builds this example boots here.
EOF
        echo "$ex: recorded from its README"
    done
    ;;
--sel4)
    [ $# -ge 1 ] || usage
    sdk=$(cd "$1" && pwd) || exit 2
    shift
    examples=("$@")
    if [ ${#examples[@]} = 0 ]; then
        # every example whose build examples.txt does not rule out (rust's would fetch crates)
        mapfile -t examples < <(awk -F'|' '$1 !~ /^#/ && NF >= 4 && $3 !~ /cannot:/ { gsub(/ /, "", $1); print $1 }' "$here/examples.txt")
    fi
    # Stand-ins for the bare-metal toolchain names, from Debian's cross compilers.
    mkdir -p "$tmp/bin"
    for pair in aarch64-none-elf:aarch64-linux-gnu riscv64-unknown-elf:riscv64-linux-gnu; do
        want=${pair%%:*} have=${pair#*:}
        command -v "$want-gcc" >/dev/null && continue
        command -v "$have-gcc" >/dev/null || continue
        extra="-fno-pic -fno-pie"
        [ "$want" = aarch64-none-elf ] && extra="$extra -mno-outline-atomics"
        printf '#!/bin/sh\nexec %s-gcc %s "$@"\n' "$have" "$extra" >"$tmp/bin/$want-gcc"
        for t in ld as objcopy ar; do printf '#!/bin/sh\nexec %s-%s "$@"\n' "$have" "$t" >"$tmp/bin/$want-$t"; done
        chmod +x "$tmp/bin/"*
    done
    sdk_version=$(cat "$sdk/VERSION" 2>/dev/null || echo unknown)
    failed=()
    for ex in "${examples[@]}"; do
        boards_done=()
        for board in qemu_virt_aarch64 qemu_virt_riscv64; do
            [ -d "$sdk/board/$board/debug" ] || continue
            out=$tmp/build/$ex/$board
            mkdir -p "$out"
            if ! PATH=$tmp/bin:$PATH make -C "$tmp/example/$ex" BUILD_DIR="$out" MICROKIT_SDK="$sdk" \
                MICROKIT_BOARD=$board MICROKIT_CONFIG=debug >"$out/build.log" 2>&1; then
                echo "$ex on $board: the SDK does not build it: $(grep -m1 -E 'error:|Error|\*\*\*' "$out/build.log")" >&2
                continue
            fi
            "$top/scripts/sel4-boot.sh" "$board" "$out/loader.img" --timeout "$timeout" >"$out/transcript"
            rc=$?
            if [ $rc != 0 ]; then
                echo "$ex on $board: scripts/sel4-boot.sh exited with status $rc" >&2
                continue
            fi
            if [ ${#boards_done[@]} -gt 0 ] && ! cmp -s "$tmp/build/$ex/${boards_done[0]}/transcript" "$out/transcript"; then
                echo "$ex: ${boards_done[0]} and $board print differently:" >&2
                diff "$tmp/build/$ex/${boards_done[0]}/transcript" "$out/transcript" >&2
                boards_done=()
                break
            fi
            boards_done+=("$board")
        done
        if [ ${#boards_done[@]} = 0 ]; then
            failed+=("$ex")
            continue
        fi
        cp "$tmp/build/$ex/${boards_done[0]}/transcript" "$here/$ex.expected"
        cat >"$here/$ex.from" <<EOF
$ex.expected: what seL4 printed, recorded by tests/upstream/record-expected.sh --sel4 on
$(date -u +%Y-%m-%d): example/$ex of Microkit $revision, built with its own Makefile
(MICROKIT_CONFIG=debug) against the Microkit SDK $sdk_version at $sdk, booted in QEMU
($(qemu-system-aarch64 --version | head -n 1)) by scripts/sel4-boot.sh --timeout $timeout on
${boards_done[*]}, which printed the same. The monitor's boot log (up to "MON|INFO: completed system
invocations") is not part of it.
EOF
        echo "$ex: recorded from seL4 on ${boards_done[*]}"
    done
    [ ${#failed[@]} = 0 ] || echo "not recorded (the SDK did not build or boot them): ${failed[*]}" >&2
    ;;
*) usage ;;
esac
