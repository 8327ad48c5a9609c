#!/usr/bin/env bash
# sel4-boot.sh — boots a Microkit loader image on seL4 in QEMU and prints what the system prints.
#
#   scripts/sel4-boot.sh BOARD LOADER.IMG [--until LINE] [--timeout SECONDS] [--raw]
#
# BOARD is qemu_virt_aarch64 or qemu_virt_riscv64; the QEMU command lines are the Microkit
# manual's. QEMU's serial output is read line by line, with the `\r` of its CRLF line ends
# dropped. Everything up to and including the Microkit monitor's `MON|INFO: completed system
# invocations` line is its boot log and is not printed (--raw prints it too); every line after
# it is printed, monitor lines included, the kernel's own debug lines with the addresses they
# name masked (scripts/mask-kernel-ids.sed). QEMU is stopped (by its PID) at the first line equal to
# LINE, or when SECONDS have passed (default 30) since QEMU started.
#
# Exit status: 0 when LINE was seen (or, without --until, when the system booted and the time ran
# out or QEMU ended: a system that powers the board off), 3 when the time ran out before LINE, 4
# when QEMU ended before LINE or the monitor never finished
# booting the system, 2 on bad arguments or a missing QEMU.
set -u
usage() { echo "usage: $0 BOARD LOADER.IMG [--until LINE] [--timeout SECONDS] [--raw]" >&2; exit 2; }
[ $# -ge 2 ] || usage
board=$1 image=$2
shift 2
until_line="" have_until=0 timeout=30 raw=0
while [ $# -gt 0 ]; do
    case $1 in
    --until) [ $# -ge 2 ] || usage; until_line=$2 have_until=1; shift 2 ;;
    --timeout) [ $# -ge 2 ] || usage; timeout=$2; shift 2 ;;
    --raw) raw=1; shift ;;
    *) usage ;;
    esac
done
[ -f "$image" ] || { echo "$0: no loader image $image" >&2; exit 2; }
case $board in
qemu_virt_aarch64)
    qemu=qemu-system-aarch64 package=qemu-system-arm
    args=(-machine virt,virtualization=on -cpu cortex-a53 -nographic -serial mon:stdio
        -device "loader,file=$image,addr=0x70000000,cpu-num=0" -m size=2G) ;;
qemu_virt_riscv64)
    qemu=qemu-system-riscv64 package=qemu-system-misc
    args=(-machine virt -nographic -serial mon:stdio -kernel "$image" -m size=2G) ;;
*) echo "$0: board $board: only qemu_virt_aarch64 and qemu_virt_riscv64 boot in QEMU" >&2; exit 2 ;;
esac
command -v "$qemu" >/dev/null || { echo "$0: $qemu not found (Debian: $package)" >&2; exit 2; }

mask=$(cd "$(dirname "$0")" && pwd)/mask-kernel-ids.sed
dir=$(mktemp -d)
mkfifo "$dir/serial"
"$qemu" "${args[@]}" </dev/null >"$dir/serial" 2>"$dir/stderr" &
qemu_pid=$!
cleanup() {
    kill "$qemu_pid" 2>/dev/null && wait "$qemu_pid" 2>/dev/null
    rm -rf "$dir"
}
trap cleanup EXIT
exec 3<"$dir/serial"

deadline=$((SECONDS + timeout))
booted=0 status=4
while :; do
    left=$((deadline - SECONDS))
    if [ $left -le 0 ]; then
        status=$([ $booted = 1 ] && [ $have_until = 0 ] && echo 0 || echo 3)
        break
    fi
    if IFS= read -r -t "$left" line <&3; then
        line=${line%$'\r'}
        case $line in *'seL4(CPU '*) line=$(printf '%s\n' "$line" | sed -E -f "$mask") ;; esac
        if [ $booted = 0 ]; then
            [ $raw = 1 ] && printf '%s\n' "$line"
            [ "$line" = "MON|INFO: completed system invocations" ] && booted=1
            continue
        fi
        printf '%s\n' "$line"
        if [ $have_until = 1 ] && [ "$line" = "$until_line" ]; then
            status=0
            break
        fi
    elif [ $? -gt 128 ]; then
        continue # read timed out: the loop's deadline check decides
    else
        # QEMU closed the serial line: it ended. After the boot and without --until, that is the
        # system powering the board off (PSCI SYSTEM_OFF), and what it printed is its transcript.
        [ $booted = 1 ] && [ $have_until = 0 ] && status=0
        break
    fi
done
if [ $status = 4 ]; then
    if [ $booted = 0 ]; then
        echo "$0: the Microkit monitor did not finish booting the system" >&2
    else
        echo "$0: QEMU ended before the expected line" >&2
    fi
    sed 's/^/qemu: /' "$dir/stderr" >&2
elif [ $status = 3 ]; then
    if [ $booted = 0 ]; then
        echo "$0: timeout after ${timeout}s: the Microkit monitor did not finish booting the system" >&2
    else
        echo "$0: timeout after ${timeout}s before the line: $until_line" >&2
    fi
fi
exit $status
