#!/bin/bash
# gen-config.sh — writes a board's seL4 configuration headers for hostkit's SDK tree:
#
#   mk/sdk/gen-config.sh BOARDS.TXT BOARD CONFIG HOST_ARCH OUTDIR
#
# writes OUTDIR/kernel/gen_config.h and OUTDIR/kernel/gen_config.json, in the format of seL4's
# generated configuration (`#define CONFIG_NAME  VALUE`, two spaces, `/* disabled: CONFIG_NAME */`;
# the JSON without the CONFIG_ prefix), which is what Microkit Makefiles read: they run
# `grep 'CONFIG_SEL4_ARCH  ' gen_config.h | cut -d' ' -f4` (Microkit's examples) or
# `sed -n 's/#define *CONFIG_SEL4_ARCH  *\([^ ]*\).*/\1/p'` (sDDF) to pick their toolchain and flags.
#
# The rule (docs/sdk.md says why): the names that say which board and architecture the build is
# for — CONFIG_SEL4_ARCH, CONFIG_ARCH, CONFIG_PLAT, CONFIG_PLAT_<board's platform>, CONFIG_ARM_PLAT —
# and the kernel's features reached through system calls (hypervisor, SMC calls, IOMMU, MCS, domains,
# cores, debug printing, benchmarks) are the board's, as its Microkit SDK has them. The names a C
# file tests to choose instructions, register layouts or type sizes — CONFIG_ARCH_AARCH64,
# CONFIG_ARCH_ARM, CONFIG_ARCH_RISCV*, CONFIG_ARCH_X86*, CONFIG_ARM_CORTEX_*, CONFIG_ARCH_ARM_V8A,
# CONFIG_RISCV_EXT_*, CONFIG_EXPORT_P*_USER, CONFIG_AARCH64_USER_CACHE_ENABLE — are the host's
# (HOST_ARCH), because the PD is compiled for and runs on the host.
#
# BOARD's row in BOARDS.TXT: board arch platform cpu smp arm_plat options (mk/sdk/boards.txt); arch
# `host` is HOST_ARCH. CONFIG is debug, release or benchmark, optionally prefixed smp- when the
# board has an smp column.
set -euo pipefail
[ $# = 5 ] || { echo "usage: $0 BOARDS.TXT BOARD CONFIG HOST_ARCH OUTDIR" >&2; exit 2; }
boards=$1 board=$2 config=$3 host_arch=$4 out=$5

row=$(awk -v b="$board" '$1 == b && $1 !~ /^#/ { print; exit }' "$boards")
[ -n "$row" ] || { echo "$0: $boards: no board '$board'" >&2; exit 1; }
read -r _ arch plat _cpu smp arm_plat options <<<"$row" # the board's CPU is not the host's: unused
[ "$arch" = host ] && arch=$host_arch
case $arch in aarch64 | riscv64 | x86_64) ;; *) echo "$0: $boards: board $board: unknown arch '$arch'" >&2; exit 1 ;; esac
case $host_arch in aarch64 | x86_64) ;; *) echo "$0: host architecture '$host_arch': hostkit runs on x86_64 and aarch64 hosts" >&2; exit 1 ;; esac

base=${config#smp-}
cores=1
if [ "$base" != "$config" ]; then
    [ "$smp" != - ] || { echo "$0: board $board has no smp configurations" >&2; exit 1; }
    cores=$smp
fi
case $base in debug | release | benchmark) ;; *) echo "$0: unknown configuration '$config'" >&2; exit 1 ;; esac

# name value: value `on` is a true boolean, `off` a false one, anything else a string.
entries=()
put() { entries+=("$1 $2"); }
onoff() { if [ "$1" = "$2" ]; then echo on; else echo off; fi; }

# ---- The architecture: which one the board is for (build systems read these) and which one the C
# compiler targets (the host's).
case $arch in aarch64) arch_family=arm ;; riscv64) arch_family=riscv ;; x86_64) arch_family=x86 ;; esac
put SEL4_ARCH "$arch"
put ARCH "$arch_family"
put ARCH_AARCH32 off
put ARCH_AARCH64 "$(onoff "$host_arch" aarch64)"
put ARCH_ARM_HYP off
put ARCH_RISCV32 off
put ARCH_RISCV64 off
put ARCH_X86_64 "$(onoff "$host_arch" x86_64)"
put ARCH_IA32 off
put ARCH_ARM "$(onoff "$host_arch" aarch64)"
put ARCH_RISCV off
put ARCH_X86 "$(onoff "$host_arch" x86_64)"
put WORD_SIZE 64
put HAVE_FPU on
put L1_CACHE_LINE_SIZE_BITS 6
# ISA-level features a PD would use through its own instructions: the host's CPU is not the board's.
put ARCH_ARM_V8A off
put EXPORT_PCNT_USER off
put EXPORT_PTMR_USER off
put EXPORT_PMU_USER off
put AARCH64_USER_CACHE_ENABLE off

# ---- The platform: the board's.
plat_macro=PLAT_$(tr 'a-z-' 'A-Z_' <<<"$plat")
put PLAT "$plat"
put "$plat_macro" on
if [ "$arch" = aarch64 ]; then
    put ARM_PLAT "$([ "$arm_plat" = - ] && echo "$plat" || echo "$arm_plat")"
fi

# ---- The kernel's features (Microkit 2.3's DEFAULT_KERNEL_OPTIONS and its per-architecture
# defaults): the board's. The calls they enable are seL4 invocations, which hostkit's kernel layer
# answers (or faults naming the call when it has no model).
put KERNEL_MCS on
put ROOT_CNODE_SIZE_BITS 17
put NUM_PRIORITIES 256
put RETYPE_FAN_OUT_LIMIT 256
put FASTPATH on
put MAX_NUM_NODES "$cores"
put ENABLE_SMP_SUPPORT "$([ "$cores" -gt 1 ] && echo on || echo off)"
# SMP configurations of seL4 have no domain scheduler (build_sdk.py: KernelNumDomains 1).
put NUM_DOMAINS "$([ "$cores" -gt 1 ] && echo 1 || echo 16)"
put ARM_HYPERVISOR_SUPPORT "$(onoff "$arch" aarch64)"
put ALLOW_SMC_CALLS "$(onoff "$arch" aarch64)"
put ARM_PA_SIZE_BITS_40 "$(onoff "$arch" aarch64)"
iommu=$(onoff "$arch" x86_64)
case ",$options," in *,no-iommu,*) iommu=off ;; esac
put IOMMU "$iommu"
put VTX off
put IRQ_IOAPIC "$(onoff "$arch" x86_64)"

# ---- The configuration: debug prints, release does not, benchmark tracks utilisation.
put DEBUG_BUILD "$(onoff "$base" debug)"
put PRINTING "$(onoff "$base" debug)"
put HARDWARE_DEBUG_API "$([ "$base" = debug ] && [ "$arch" != riscv64 ] && echo on || echo off)"
put IRQ_REPORTING "$(onoff "$base" debug)"
put COLOUR_PRINTING "$(onoff "$base" debug)"
put USER_STACK_TRACE_LENGTH 16
put VERIFICATION_BUILD off
put SIGNAL_FASTPATH "$(onoff "$base" benchmark)"
put NO_BENCHMARKS "$([ "$base" = benchmark ] && echo off || echo on)"
put ENABLE_BENCHMARKS "$(onoff "$base" benchmark)"
put BENCHMARK_TRACK_UTILISATION "$(onoff "$base" benchmark)"
put KERNEL_BENCHMARK "$([ "$base" = benchmark ] && echo track_utilisation || echo none)"
put MAX_NUM_TRACE_POINTS 0

mkdir -p "$out/kernel"
{
    echo "/* kernel/gen_config.h — seL4's configuration as hostkit's SDK has it for board $board,"
    echo " * configuration $config, host architecture $host_arch. Written by mk/sdk/gen-config.sh; docs/sdk.md says which"
    echo " * names are the board's (CONFIG_SEL4_ARCH, the platform, the kernel's features) and which the"
    echo " * host's (the CONFIG_ARCH_* a C file tests to pick instructions). */"
    echo "#pragma once"
    echo
    for e in "${entries[@]}"; do
        name=${e%% *} value=${e#* }
        case $value in
        on) echo "#define CONFIG_$name  1" ;;
        off) echo "/* disabled: CONFIG_$name */" ;;
        *) echo "#define CONFIG_$name  $value" ;;
        esac
    done
} >"$out/kernel/gen_config.h"
{
    echo "{"
    n=${#entries[@]} i=0
    for e in "${entries[@]}"; do
        i=$((i + 1))
        name=${e%% *} value=${e#* }
        case $value in
        on) v=true ;;
        off) v=false ;;
        *) v="\"$value\"" ;;
        esac
        printf '    "%s": %s%s\n' "$name" "$v" "$([ $i -lt "$n" ] && echo ,)"
    done
    echo "}"
} >"$out/kernel/gen_config.json"
