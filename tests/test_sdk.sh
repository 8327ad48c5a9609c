#!/bin/bash
# test_sdk.sh — hostkit's SDK tree ($BUILD/sdk, mk/sdk.mk): the board configuration headers, the
# toolchain shims, bin/microkit (the Microkit tool's command line and errors) and the loader image
# it writes, and mk/hostkit.mk building user code without -Werror. TAP, run by `make test`.
# (tests/upstream/ builds Microkit's own examples against the same tree.)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
sdk=$build/sdk
if [ ! -x "$sdk/bin/microkit" ]; then
    echo "1..0 # SKIP no SDK tree at $sdk: run make sdk"
    exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export LC_ALL=C PATH="$sdk/bin:$PATH"
unset MICROKIT_SDK
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else nok "$1"; return 1; fi; }
diag() { sed 's/^/# /' "$@"; }
inc() { echo "$sdk/board/$1/$2/include"; }

# ---- The configuration headers
"$top/mk/sdk/gen-config.sh" "$top/mk/sdk/boards.txt" hostkit debug "$(uname -m)" "$tmp/default"
check "include/kernel/gen_config.h is the hostkit board's debug configuration as gen-config.sh writes it" \
    'cmp -s "$tmp/default/kernel/gen_config.h" "$top/include/kernel/gen_config.h"'
# How Microkit's example Makefiles and sDDF read the architecture from the board's header.
arch_of() { grep 'CONFIG_SEL4_ARCH  ' "$(inc "$1" "$2")/kernel/gen_config.h" | cut -d' ' -f4; }
sddf_arch_of() { sed -n 's/#define *CONFIG_SEL4_ARCH  *\([^ ]*\).*$/\1/p' "$(inc "$1" "$2")/kernel/gen_config.h"; }
check "upstream Makefiles read aarch64, riscv64, x86_64, x86_64 for qemu_virt_aarch64, qemu_virt_riscv64, x86_64_generic, hostkit" \
    '[ "$(arch_of qemu_virt_aarch64 debug) $(arch_of qemu_virt_riscv64 release) $(arch_of x86_64_generic debug) $(arch_of hostkit smp-debug)" = "aarch64 riscv64 x86_64 x86_64" ]'
check "sDDF's Makefiles read aarch64 for odroidc4 and riscv64 for star64 (one line each)" \
    '[ "$(sddf_arch_of odroidc4 debug)/$(sddf_arch_of star64 benchmark)" = "aarch64/riscv64" ]'
# What C sees: the host's architecture, the board's platform and kernel features.
cat >"$tmp/cfg.c" <<'EOF'
#include <sel4/config.h>
#if !defined(CONFIG_ARCH_X86_64) || !defined(CONFIG_ARCH_X86) || defined(CONFIG_ARCH_AARCH64) || \
    defined(CONFIG_ARCH_ARM) || defined(CONFIG_ARCH_RISCV) || defined(CONFIG_EXPORT_PCNT_USER)
#error "a PD must be compiled for the host's architecture"
#endif
#if CONFIG_WORD_SIZE != 64 || !defined(CONFIG_KERNEL_MCS) || CONFIG_LIB_SEL4_PRINT_INVOCATION_ERRORS != 0
#error "word size, MCS, libsel4's configuration"
#endif
EOF
cc_board() { cc -fsyntax-only -I"$(inc "$1" "$2")" "${@:3}" "$tmp/cfg.c" 2>"$tmp/cc.err"; }
if [ "$(uname -m)" = x86_64 ]; then
    check "on qemu_virt_aarch64, C sees an x86_64 host, MCS, 64-bit words (sel4/config.h)" 'cc_board qemu_virt_aarch64 debug'
else
    ok "on qemu_virt_aarch64, C sees the host's architecture # SKIP the host is $(uname -m), not x86_64"
fi
# Feature macros: a file that fails unless the named macro is defined (or undefined, with !).
defined() {
    local board=$1 config=$2 cond=$3
    printf '#include <sel4/config.h>\n#if !(%s)\n#error\n#endif\n' "$cond" >"$tmp/def.c"
    cc -fsyntax-only -I"$(inc "$board" "$config")" "$tmp/def.c" 2>/dev/null
}
check "qemu_virt_aarch64 debug: its platform, hypervisor and SMC calls, printing, one core, 16 domains" \
    'defined qemu_virt_aarch64 debug "defined(CONFIG_PLAT_QEMU_ARM_VIRT) && defined(CONFIG_ARM_HYPERVISOR_SUPPORT) && defined(CONFIG_ALLOW_SMC_CALLS) && defined(CONFIG_PRINTING) && defined(CONFIG_DEBUG_BUILD) && CONFIG_MAX_NUM_NODES == 1 && CONFIG_NUM_DOMAINS == 16 && !defined(CONFIG_ENABLE_SMP_SUPPORT)"'
check "qemu_virt_aarch64 release: no printing, no debug build" \
    'defined qemu_virt_aarch64 release "!defined(CONFIG_PRINTING) && !defined(CONFIG_DEBUG_BUILD) && defined(CONFIG_NO_BENCHMARKS)"'
check "qemu_virt_riscv64 smp-benchmark: 4 cores, SMP, 1 domain, utilisation tracking, no hypervisor" \
    'defined qemu_virt_riscv64 smp-benchmark "CONFIG_MAX_NUM_NODES == 4 && defined(CONFIG_ENABLE_SMP_SUPPORT) && CONFIG_NUM_DOMAINS == 1 && defined(CONFIG_BENCHMARK_TRACK_UTILISATION) && !defined(CONFIG_ARM_HYPERVISOR_SUPPORT) && defined(CONFIG_PLAT_QEMU_RISCV_VIRT)"'
check "x86_64_generic: pc99 with an IOMMU; the hostkit board: its own platform, no IOMMU" \
    'defined x86_64_generic debug "defined(CONFIG_PLAT_PC99) && defined(CONFIG_IOMMU)" && defined hostkit debug "defined(CONFIG_PLAT_HOSTKIT) && !defined(CONFIG_IOMMU) && !defined(CONFIG_ALLOW_SMC_CALLS)"'
check "every board has debug, release and benchmark, and its lib/ has libmicrokit.a and microkit.ld" \
    'for b in "$sdk"/board/*/; do for c in debug release benchmark; do [ -f "$b$c/lib/libmicrokit.a" ] && [ -f "$b$c/lib/microkit.ld" ] && [ -f "$b$c/include/microkit.h" ] || exit 1; done; done'

# ---- The toolchain shims
echo 'int f(void) { return 1; }' >"$tmp/f.c"
check "aarch64-none-elf-gcc drops -mstrict-align -mcpu=cortex-a53 -mtune=cortex-a53 -mgeneral-regs-only and compiles for the host" \
    'aarch64-none-elf-gcc -c -mstrict-align -mcpu=cortex-a53 -mtune=cortex-a53 -mgeneral-regs-only -ffreestanding -O3 "$tmp/f.c" -o "$tmp/f.o" && [ "$(od -An -tx1 -j18 -N2 "$tmp/f.o" | tr -d " ")" = "$(od -An -tx1 -j18 -N2 "$(command -v cc)" | tr -d " ")" ]'
check "riscv64-unknown-elf-gcc drops -march=rv64imafdc_zicsr_zifencei -mabi=lp64d -mcmodel=medany" \
    'riscv64-unknown-elf-gcc -c -march=rv64imafdc_zicsr_zifencei -mabi=lp64d -mcmodel=medany "$tmp/f.c" -o "$tmp/f.o"'
printf 'int f(void) { int unused; return 1; }\n#ifndef KEEP\n#error\n#endif\n' >"$tmp/w.c"
check "the compile shim keeps the other options: -D, -Wall -Werror (an unused variable fails)" \
    'aarch64-none-elf-gcc -c -DKEEP -mstrict-align "$tmp/w.c" -o "$tmp/w.o" && ! aarch64-none-elf-gcc -c -DKEEP -Wall -Werror "$tmp/w.c" -o "$tmp/w.o" 2>/dev/null'
if [ "$(uname -m)" = x86_64 ]; then
    check "x86_64-linux-gnu-gcc keeps -m options (the host's: -mstrict-align is refused, -march=x86-64 taken)" \
        '! x86_64-linux-gnu-gcc -c -mstrict-align "$tmp/f.c" -o "$tmp/f.o" 2>/dev/null && x86_64-linux-gnu-gcc -c -march=x86-64 -mtune=generic "$tmp/f.c" -o "$tmp/f.o"'
else
    ok "x86_64-linux-gnu-gcc keeps -m options # SKIP the host is $(uname -m)"
fi
cat >"$tmp/pd.c" <<'EOF'
#include <microkit.h>
void init(void) { microkit_dbg_puts("sdk test: init\n"); }
void notified(microkit_channel ch) { }
EOF
lib=$(inc qemu_virt_aarch64 debug)/../lib
aarch64-none-elf-gcc -c -nostdlib -ffreestanding -O3 -Wall -Werror -mstrict-align -I"$(inc qemu_virt_aarch64 debug)" "$tmp/pd.c" -o "$tmp/pd.o"
check "a PD compiles against the board's headers with upstream's flags (-Wall -Werror -mstrict-align)" '[ -f "$tmp/pd.o" ]'
check "aarch64-none-elf-ld -L... OBJ -lmicrokit -Tmicrokit.ld -z noexecstack links a host executable" \
    'aarch64-none-elf-ld -L"$lib" "$tmp/pd.o" -lmicrokit -Tmicrokit.ld -z noexecstack -o "$tmp/pd.elf" && [ -x "$tmp/pd.elf" ]'
check "the ld shim takes --start-group ... --end-group, --gc-sections, -m EMULATION, -T FILE" \
    'riscv64-unknown-elf-ld -m elf64lriscv -L"$lib" --gc-sections "$tmp/pd.o" --start-group -lmicrokit -T microkit.ld --end-group -o "$tmp/pd2.elf"'
check "a real linker given microkit.ld stops with a message naming the SDK's bin/" \
    'ld "$tmp/pd.o" -T"$lib/microkit.ld" -o "$tmp/bad" 2>&1 | grep -q "put the SDK'"'"'s bin/ first on PATH"'
check "the gcc shim used to link drops -nostdlib and -Tmicrokit.ld" \
    'aarch64-none-elf-gcc -nostdlib "$tmp/pd.o" -L"$lib" -lmicrokit -Tmicrokit.ld -o "$tmp/pd3.elf" && [ -x "$tmp/pd3.elf" ]'
check "objcopy, nm and ar are the host's" \
    'aarch64-none-elf-nm "$tmp/pd.o" | grep -q " T init" && aarch64-none-elf-objcopy "$tmp/pd.o" "$tmp/pd.copy.o" && aarch64-none-elf-ar rcs "$tmp/lib.a" "$tmp/pd.o"'

# ---- bin/microkit
cat >"$tmp/sys.system" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<system>
    <protection_domain name="pd" priority="10">
        <program_image path="pd.elf" />
    </protection_domain>
</system>
EOF
mkdir -p "$tmp/out" "$tmp/cwd"
tool() { (cd "$tmp/cwd" && microkit "$@") >"$tmp/tool.out" 2>"$tmp/tool.err"; }
tool "$tmp/sys.system" --search-path "$tmp/nowhere" "$tmp" --board qemu_virt_aarch64 --config debug \
    -o "$tmp/out/loader.img" -r "$tmp/out/report.txt" --capdl-json "$tmp/out/spec.json" --viper-output "$tmp/out/viper" --image-type elf
rc=$?
check "microkit SYSTEM --search-path D1 D2 --board --config -o -r --capdl-json --viper-output --image-type: exit 0" '[ $rc = 0 ]' || diag "$tmp/tool.err"
check "it writes the report (hostkit check --report) and an executable loader image" \
    '[ -s "$tmp/out/report.txt" ] && [ -x "$tmp/out/loader.img" ] && grep -q "pd" "$tmp/out/report.txt"'
check "it says on stderr that no CapDL spec and no Viper views were written, and writes neither" \
    'grep -q "capdl-json.*not written" "$tmp/tool.err" && grep -q "viper-output" "$tmp/tool.err" && [ ! -e "$tmp/out/spec.json" ] && [ ! -e "$tmp/out/viper" ]'
"$tmp/out/loader.img" --timeout 10 >"$tmp/run.out" 2>"$tmp/run.err"
rc=$?
check "loader.img runs the system on hostkit: the PD found in the second search path prints (as seL4's UART console does, CR LF), exit 0" \
    '[ $rc = 0 ] && [ "$(cat "$tmp/run.out")" = "$(printf "sdk test: init\r")" ]' || diag "$tmp/run.err"
check "loader.img passes its arguments to hostkit run (--until)" \
    '"$tmp/out/loader.img" --until "sdk test" >/dev/null'
printf '#!/bin/sh\nprintf "%%s\\n" "$@"\n' >"$tmp/fake-hostkit"
chmod +x "$tmp/fake-hostkit"
check "HOSTKIT=PROGRAM runs that program: run, the search paths, the arguments, the system's copy" \
    '[ "$(HOSTKIT=$tmp/fake-hostkit "$tmp/out/loader.img" --log | tr "\n" " ")" = "run --board qemu_virt_aarch64 --arch aarch64 --search-path $tmp/nowhere --search-path $tmp --search-path $tmp/cwd --log $tmp/out/loader.img.d/sys.system " ]'
check "a debug configuration runs on one core; smp-debug runs with --cores 4 --smp" \
    '! grep -q -- "--smp" "$tmp/out/loader.img" && tool "$tmp/sys.system" --search-path "$tmp" --board qemu_virt_aarch64 --config smp-debug -o "$tmp/out/smp.img" -r "$tmp/out/r2" && grep -q "'"'--cores' '4' '--smp'"'" "$tmp/out/smp.img"'
# The board's architecture goes to hostkit run, which checks the system as for it.
check "the loader image passes the board's architecture: riscv64 for qemu_virt_riscv64" \
    '(cd "$tmp/cwd" && microkit "$tmp/sys.system" --search-path "$tmp" --board qemu_virt_riscv64 --config debug -o "$tmp/out/arch.img" -r "$tmp/out/r3" >/dev/null 2>&1) && grep -q "'"'--arch' 'riscv64'"'" "$tmp/out/arch.img"'
rm -f "$tmp/out/loader.img" "$tmp/out/report.txt"
tool "$tmp/sys.system" --board qemu_virt_aarch64 --config debug -o "$tmp/out/loader.img" -r "$tmp/out/report.txt"
rc=$?
check "a program image in no search path: the tool's error, exit 1, no loader image, no report" \
    '[ $rc = 1 ] && grep -qx "Error: unable to find program image: '"'pd.elf'"'" "$tmp/tool.err" && [ ! -e "$tmp/out/loader.img" ] && [ ! -e "$tmp/out/report.txt" ]'
cp "$tmp/pd.elf" "$tmp/cwd/pd.elf"
check "the current directory is searched last, as the tool does" \
    'tool "$tmp/sys.system" --board qemu_virt_aarch64 --config debug -o "$tmp/out/loader.img" -r "$tmp/out/report.txt"'
sed 's/priority="10"/priority="300"/' "$tmp/sys.system" >"$tmp/bad.system"
tool "$tmp/bad.system" --search-path "$tmp" --board qemu_virt_aarch64 --config debug -o "$tmp/out/bad.img"
rc=$?
check "an invalid system: hostkit check's Error: line, exit 1, no loader image" \
    '[ $rc = 1 ] && grep -q "^Error: " "$tmp/tool.err" && [ ! -e "$tmp/out/bad.img" ]'
tool --board qemu_virt_aarch64
rc=$?
check "missing arguments: usage and 'the following arguments are required: --config, system', exit 1" \
    '[ $rc = 1 ] && grep -q "^usage: microkit" "$tmp/tool.out" && grep -qx "microkit: error: the following arguments are required: --config, system" "$tmp/tool.err"'
tool "$tmp/sys.system" --board pinephone --config debug
rc=$?
check "an unknown board: 'argument --board: unknown parameter', exit 1" \
    '[ $rc = 1 ] && grep -qx "microkit: error: argument --board: unknown parameter '"'pinephone'"'" "$tmp/tool.err"'
tool "$tmp/sys.system" --board hostkit --config fast
check "an unknown configuration: the choices the board has" \
    'grep -qx "microkit: error: argument --config: invalid choice '"'fast'"' (choose from: benchmark, debug, release, smp-benchmark, smp-debug, smp-release)" "$tmp/tool.err"'
tool "$tmp/sys.system" "$tmp/sys.system" --board hostkit --config debug
check "a second system argument: 'unrecognized argument'" \
    'grep -qx "microkit: error: unrecognized argument '"'$tmp/sys.system'"'" "$tmp/tool.err"'
tool "$tmp/none.system" --board hostkit --config debug
check "a missing system file: 'system description file ... does not exist'" \
    'grep -qx "microkit: error: system description file '"'$tmp/none.system'"' does not exist" "$tmp/tool.err"'
check "MICROKIT_SDK names the SDK, as for the tool: a missing directory is an error" \
    '! (cd "$tmp/cwd" && MICROKIT_SDK=$tmp/nosdk microkit "$tmp/sys.system" --board hostkit --config debug 2>"$tmp/tool.err") && grep -q "The MICROKIT_SDK directory" "$tmp/tool.err"'

# ---- mk/hostkit.mk: user code is built without -Werror, even when hostkit's CFLAGS_BASE has it.
cat >"$tmp/Makefile" <<EOF
include $top/mk/hostkit.mk
pd.elf: pd.c
	\$(HOSTKIT_LINK)
EOF
(cd "$tmp" && rm -f pd.elf && CFLAGS_BASE="-std=c11 -Wall -Wextra -Werror -g -O2" BUILD=$build make -s pd.elf >"$tmp/mk.out" 2>&1)
rc=$?
check "mk/hostkit.mk builds a PD with an unused parameter (-Wextra warns, no -Werror)" \
    '[ $rc = 0 ] && [ -x "$tmp/pd.elf" ] && grep -q "unused parameter" "$tmp/mk.out"' || diag "$tmp/mk.out"
echo "1..$n"
