#!/bin/bash
# test_microkit_sdk.sh — building the examples for seL4 with the Microkit SDK (mk/microkit-sdk.mk).
#
# No Microkit SDK can be downloaded here, so the test makes SDK layouts of its own in a temporary
# directory (bin/microkit, board/BOARD/CONFIG/{include,lib}) and checks, for every example:
#   - `make -n simulate MICROKIT_SDK=FAKE` prints a cross-compile and link line for every program
#     image of the system, the SDK tool's invocation and the QEMU command line of the Microkit
#     manual (exact lines asserted), for qemu_virt_aarch64 and qemu_virt_riscv64, with clang and
#     with a cross gcc;
#   - `make MICROKIT_SDK=STUB` really cross-compiles and links the PDs with ld.lld against a stub
#     libmicrokit for both architectures, and hands the ELFs to the (stub) tool, which checks it
#     finds every image the system names;
#   - wrong settings fail with an error that says what to install or set.
# Prints TAP (prove runs it).
set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=${BUILD:-$TOP/build}
# nanopb's C runtime, for the real cross build of examples/ipc: `make test` unpacks
# ../shared/sel4/nanopb-0.4.7-core.tar.gz (the version of Debian's generator) and names it here.
NANOPB_RUNTIME=${HOSTKIT_TEST_NANOPB_SRC:-}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/hostkit-sdk.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
unset MICROKIT_BOARD MICROKIT_CONFIG MICROKIT_TOOLCHAIN MICROKIT_CROSS_COMPILE MICROKIT_ARCH \
    MICROKIT_BUILD_DIR MICROKIT_SYSTEM MICROKIT_CFLAGS NANOPB_SRC MAKEFLAGS MAKELEVEL

n=0
fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $1"; fail=1; [ -n "${2:-}" ] && sed 's/^/# /' "$2"; }

# ---- A fake SDK: the layout only ----
FAKE=$TMP/fake-sdk
make_board() { # SDK BOARD ARCH
    local d=$1/board/$2/debug
    mkdir -p "$d/include/kernel" "$d/lib"
    echo "#define CONFIG_SEL4_ARCH  $3" > "$d/include/kernel/gen_config.h"
    echo "/* fake */" > "$d/include/microkit.h"
    : > "$d/lib/libmicrokit.a"
    : > "$d/lib/microkit.ld"
}
mkdir -p "$FAKE/bin"
printf '#!/bin/sh\nexit 0\n' > "$FAKE/bin/microkit"
chmod +x "$FAKE/bin/microkit"
make_board "$FAKE" qemu_virt_aarch64 aarch64
make_board "$FAKE" qemu_virt_riscv64 riscv64
make_board "$FAKE" odroidc4 aarch64
FAKE_NANOPB=$TMP/nanopb
mkdir -p "$FAKE_NANOPB"
touch "$FAKE_NANOPB/pb_common.c" "$FAKE_NANOPB/pb_encode.c" "$FAKE_NANOPB/pb_decode.c"
# A cross gcc that is not one: for `make -n` only.
mkdir -p "$TMP/gccbin"
for t in aarch64-linux-gnu riscv64-unknown-elf; do
    printf '#!/bin/sh\nexit 1\n' > "$TMP/gccbin/$t-gcc"
    chmod +x "$TMP/gccbin/$t-gcc"
done

examples=()
for d in "$TOP"/examples/*/; do
    d=${d%/}
    [ -f "$d/Makefile" ] && [ "$(ls "$d"/*.system 2>/dev/null | wc -l)" = 1 ] && examples+=("$d")
done
images_of() { sed -n 's/.*<program_image[^>]*path="\([^"]*\)".*/\1/p' "$1"/*.system | sort -u; }
uses_nanopb() { grep -q -- '-lprotobuf-nanopb' "$1/Makefile"; }

# run_make LOG DIR ARGS...: make in DIR; stdout+stderr to LOG; returns make's status.
run_make() {
    local log=$1 dir=$2
    shift 2
    make --no-print-directory -C "$dir" "$@" > "$log" 2>&1
}
has_line() { grep -qxF -- "$1" "$2"; }

# Expected lines, as the Microkit manual and the SDK's example Makefiles give them.
tool_line() { # EXAMPLE BOARD
    local b=$BUILD/microkit/$(basename "$1")/$2/debug
    # run in the build directory: the 2.0.1 tool searches its current directory before
    # --search-path, and would find hostkit's x86-64 images beside the .system file
    echo "cd $b && $FAKE/bin/microkit $(cd "$1" && pwd)/$(basename "$1"/*.system) --search-path $b --board $2 --config debug -o $b/loader.img -r $b/report.txt"
}
qemu_line() { # EXAMPLE BOARD
    local img=$BUILD/microkit/$(basename "$1")/$2/debug/loader.img
    case $2 in
    qemu_virt_aarch64) echo "qemu-system-aarch64 -machine virt,virtualization=on -cpu cortex-a53 -nographic -serial mon:stdio -device loader,file=$img,addr=0x70000000,cpu-num=0 -m size=2G" ;;
    qemu_virt_riscv64) echo "qemu-system-riscv64 -machine virt -nographic -serial mon:stdio -kernel $img -m size=2G" ;;
    esac
}
# check_dry EXAMPLE BOARD TOOLCHAIN LOG: the `make -n simulate` output has every line it should.
check_dry() {
    local ex=$1 board=$2 tc=$3 log=$4 b=$BUILD/microkit/$(basename "$1")/$2/debug img missing=""
    local cc ld
    case $tc in
    llvm) cc="clang --target=$([ "$board" = qemu_virt_riscv64 ] && echo riscv64-unknown-elf || echo aarch64-none-elf) "
          ld="ld.lld -L$FAKE/board/$board/debug/lib " ;;
    gcc) local p=$TMP/gccbin/$([ "$board" = qemu_virt_riscv64 ] && echo riscv64-unknown-elf || echo aarch64-linux-gnu)-
         cc="${p}gcc "
         ld="${p}ld -L$FAKE/board/$board/debug/lib " ;;
    esac
    for img in $(images_of "$ex"); do
        grep -q -- "^${cc}.* -isystem $FAKE/board/$board/debug/include .* -c .* -o $b/obj/$img/" "$log" ||
            missing="$missing compile($img)"
        grep -q -- "^${ld}.* -lmicrokit -Tmicrokit.ld -o $b/$img\$" "$log" || missing="$missing link($img)"
    done
    has_line "$(tool_line "$ex" "$board")" "$log" || missing="$missing tool"
    grep -qF -- "; $(qemu_line "$ex" "$board"); }; hostkit run " "$log" || missing="$missing qemu"
    [ -z "$missing" ] && return 0
    echo "missing:$missing" >> "$log"
    return 1
}

echo "# examples: ${examples[*]##*/}"
for ex in "${examples[@]}"; do
    name=examples/$(basename "$ex")
    log=$TMP/$(basename "$ex").log
    # 1. aarch64 with clang, 2. riscv64 with a cross gcc: `make -n simulate`.
    if run_make "$log" "$ex" -n simulate MICROKIT_SDK="$FAKE" NANOPB_SRC="$FAKE_NANOPB" MICROKIT_TOOLCHAIN=llvm &&
            check_dry "$ex" qemu_virt_aarch64 llvm "$log"; then
        ok "$name: make -n simulate (qemu_virt_aarch64, clang) compiles and links every image, runs the tool and QEMU as the manual says"
    else
        not_ok "$name: make -n simulate (qemu_virt_aarch64, clang)" "$log"
    fi
    if run_make "$log" "$ex" -n simulate MICROKIT_SDK="$FAKE" NANOPB_SRC="$FAKE_NANOPB" \
            MICROKIT_BOARD=qemu_virt_riscv64 MICROKIT_CROSS_COMPILE="$TMP/gccbin/riscv64-unknown-elf-" &&
            check_dry "$ex" qemu_virt_riscv64 gcc "$log"; then
        ok "$name: make -n simulate (qemu_virt_riscv64, cross gcc) compiles and links every image, runs the tool and QEMU as the manual says"
    else
        not_ok "$name: make -n simulate (qemu_virt_riscv64, cross gcc)" "$log"
    fi
    # 3. `make` alone: the loader image, no QEMU.
    if run_make "$log" "$ex" -n MICROKIT_SDK="$FAKE" NANOPB_SRC="$FAKE_NANOPB" MICROKIT_TOOLCHAIN=llvm &&
            has_line "$(tool_line "$ex" qemu_virt_aarch64)" "$log" && ! grep -q qemu-system "$log"; then
        ok "$name: make MICROKIT_SDK=… builds the loader image and boots nothing"
    else
        not_ok "$name: make MICROKIT_SDK=… builds the loader image and boots nothing" "$log"
    fi
    # 4. nanopb users need NANOPB_SRC.
    if uses_nanopb "$ex"; then
        if ! run_make "$log" "$ex" -n MICROKIT_SDK="$FAKE" MICROKIT_TOOLCHAIN=llvm &&
                grep -q "links nanopb (-lprotobuf-nanopb): set NANOPB_SRC" "$log"; then
            ok "$name: without NANOPB_SRC the SDK build says to set it"
        else
            not_ok "$name: without NANOPB_SRC the SDK build says to set it" "$log"
        fi
    fi
done

# ---- Wrong settings: clear errors ----
ex=${examples[0]}
expect_error() { # DESCRIPTION PATTERN MAKE-ARGS...
    local what=$1 pattern=$2 log=$TMP/error.log
    shift 2
    if ! run_make "$log" "$ex" -n "$@" && grep -qF -- "$pattern" "$log"; then
        ok "$what: $(grep -m1 -F -- "$pattern" "$log" | sed 's/^.*\*\*\* //; s/  Stop\.$//')"
    else
        not_ok "$what (expected: $pattern)" "$log"
    fi
}
mkdir -p "$TMP/not-an-sdk/board"
expect_error "SDK path that does not exist" "no such directory" simulate MICROKIT_SDK="$TMP/nowhere"
expect_error "SDK without bin/microkit" "has no bin/microkit" simulate MICROKIT_SDK="$TMP/not-an-sdk"
expect_error "board the SDK does not have" \
    "this SDK has no board/qemu_virt_x86; it has: odroidc4 qemu_virt_aarch64 qemu_virt_riscv64" \
    simulate MICROKIT_SDK="$FAKE" MICROKIT_BOARD=qemu_virt_x86
expect_error "configuration the SDK does not have" "has no release configuration for qemu_virt_aarch64; it has: debug" \
    simulate MICROKIT_SDK="$FAKE" MICROKIT_CONFIG=release
expect_error "board QEMU cannot run" "MICROKIT_BOARD=odroidc4 cannot be simulated" \
    simulate MICROKIT_SDK="$FAKE" MICROKIT_BOARD=odroidc4 MICROKIT_TOOLCHAIN=llvm NANOPB_SRC="$FAKE_NANOPB"
expect_error "missing aarch64 cross compiler" "install Debian's gcc-aarch64-linux-gnu" \
    simulate MICROKIT_SDK="$FAKE" MICROKIT_TOOLCHAIN=gcc MICROKIT_CROSS_COMPILE=/nonexistent/aarch64-linux-gnu-
expect_error "missing riscv64 cross compiler" "install Debian's gcc-riscv64-unknown-elf" \
    simulate MICROKIT_SDK="$FAKE" MICROKIT_BOARD=qemu_virt_riscv64 MICROKIT_TOOLCHAIN=gcc \
    MICROKIT_CROSS_COMPILE=/nonexistent/riscv64-unknown-elf-

# ---- From the top: make simulate MICROKIT_SDK=<relative path> runs the IPC example for seL4 ----
log=$TMP/top.log
ln -s "$FAKE" "$TOP/build/fake-sdk-$$"
if make --no-print-directory -C "$TOP" -n simulate MICROKIT_SDK="build/fake-sdk-$$" \
        NANOPB_SRC="$FAKE_NANOPB" MICROKIT_TOOLCHAIN=llvm > "$log" 2>&1 &&
        grep -qF "$TOP/build/fake-sdk-$$/bin/microkit $TOP/examples/ipc/ipc.system --search-path" "$log" &&
        grep -qF "qemu-system-aarch64 -machine virt,virtualization=on" "$log" &&
        ! grep -q "libhostkit.a" "$log"; then
    ok "top level: make simulate MICROKIT_SDK=<relative path> builds and boots examples/ipc for seL4, not hostkit"
else
    not_ok "top level: make simulate MICROKIT_SDK=<relative path>" "$log"
fi
rm -f "$TOP/build/fake-sdk-$$"

# ---- A stub SDK that really links: clang + ld.lld, a stub libmicrokit, a stub tool ----
STUB=$TMP/stub-sdk
if command -v clang >/dev/null && command -v ld.lld >/dev/null && command -v llvm-ar >/dev/null; then
    mkdir -p "$STUB/bin"
    # The stub tool checks that every image the system names is in the search path, as an ELF.
    cat > "$STUB/bin/microkit" <<'EOF'
#!/bin/sh
sys=$1; shift
while [ $# -gt 0 ]; do
    case $1 in
    --search-path) dir=$2; shift ;;
    -o) out=$2; shift ;;
    -r) rep=$2; shift ;;
    esac
    shift
done
for img in $(sed -n 's/.*<program_image[^>]*path="\([^"]*\)".*/\1/p' "$sys"); do
    head -c 4 "$dir/$img" 2>/dev/null | grep -q ELF || { echo "stub microkit: no ELF $img in $dir" >&2; exit 1; }
    echo "$img" >> "$rep"
done
echo stub-loader > "$out"
EOF
    chmod +x "$STUB/bin/microkit"
    for b in qemu_virt_aarch64:aarch64:aarch64-none-elf qemu_virt_riscv64:riscv64:riscv64-unknown-elf; do
        IFS=: read -r board arch triple <<< "$b"
        d=$STUB/board/$board/debug
        mkdir -p "$d/include/kernel" "$d/lib"
        echo "#define CONFIG_SEL4_ARCH  $arch" > "$d/include/kernel/gen_config.h"
        # The stub's microkit.h is hostkit's API plus a marker, so the ELF shows which header won.
        cat > "$d/include/microkit.h" <<EOF
#ifndef STUB_SDK_MICROKIT_H
#define STUB_SDK_MICROKIT_H
#include "$TOP/include/microkit.h"
extern char stub_sdk_marker;
static char *const stub_sdk_marker_ref __attribute__((used)) = &stub_sdk_marker;
#endif
EOF
        ln -s "$TOP/include/sel4" "$d/include/sel4"
        cat > "$TMP/stublib-$arch.c" <<EOF
#include "$TOP/include/microkit.h"
char stub_sdk_marker;
char microkit_name[MICROKIT_PD_NAME_LENGTH];
seL4_Word microkit_notifications, microkit_pps, microkit_irqs, microkit_ioports;
seL4_Bool microkit_have_signal;
seL4_CPtr microkit_signal_cap;
seL4_MessageInfo_t microkit_signal_msg;
static seL4_IPCBuffer stub_ipc_buffer;
seL4_IPCBuffer *__sel4_ipc_buffer = &stub_ipc_buffer;
void microkit_dbg_putc(int c) { (void)c; }
void microkit_dbg_puts(const char *s) { (void)s; }
void microkit_dbg_put8(seL4_Uint8 x) { (void)x; }
void microkit_dbg_put32(seL4_Uint32 x) { (void)x; }
void seL4_Signal(seL4_CPtr c) { (void)c; }
void seL4_Send(seL4_CPtr c, seL4_MessageInfo_t m) { (void)c; (void)m; }
seL4_MessageInfo_t seL4_Call(seL4_CPtr c, seL4_MessageInfo_t m) { (void)c; return m; }
seL4_Error seL4_IRQHandler_Ack(seL4_IRQHandler c) { (void)c; return seL4_NoError; }
seL4_Error seL4_TCB_Suspend(seL4_TCB c) { (void)c; return seL4_NoError; }
seL4_Error seL4_TCB_Resume(seL4_TCB c) { (void)c; return seL4_NoError; }
seL4_Error seL4_TCB_WriteRegisters(seL4_TCB c, seL4_Bool r, seL4_Uint8 f, seL4_Word n, seL4_UserContext *u)
{ (void)c; (void)r; (void)f; (void)n; (void)u; return seL4_NoError; }
void _start(void) { init(); for (;;) {} }
EOF
        clang --target="$triple" -ffreestanding -fno-stack-protector $([ "$arch" = riscv64 ] && echo -march=rv64imafdc -mabi=lp64d -mno-relax) \
            -I"$TOP/include" -c "$TMP/stublib-$arch.c" -o "$TMP/stublib-$arch.o" &&
            llvm-ar rcs "$d/lib/libmicrokit.a" "$TMP/stublib-$arch.o"
        printf 'ENTRY(_start)\nSECTIONS {\n  . = 0x200000;\n  .text : { *(.text*) }\n  .rodata : { *(.rodata*) *(.srodata*) }\n  .data : { *(.data*) *(.sdata*) }\n  .bss : { *(.bss*) *(.sbss*) *(COMMON) }\n}\n' \
            > "$d/lib/microkit.ld"
    done
    for ex in "${examples[@]}"; do
        name=examples/$(basename "$ex")
        nanopb=()
        if uses_nanopb "$ex"; then
            if [ ! -f "$NANOPB_RUNTIME/pb_encode.c" ]; then
                n=$((n + 1))
                echo "ok $n - $name: real cross build # SKIP links nanopb, and no nanopb sources (HOSTKIT_TEST_NANOPB_SRC; make test unpacks ../shared/sel4/nanopb-0.4.7-core.tar.gz)"
                continue
            fi
            nanopb=(NANOPB_SRC="$NANOPB_RUNTIME")
        fi
        for board in qemu_virt_aarch64 qemu_virt_riscv64; do
            log=$TMP/real.log
            b=$BUILD/microkit/$(basename "$ex")/$board/debug
            rm -rf "$b"
            machine=$([ "$board" = qemu_virt_aarch64 ] && echo AArch64 || echo RISC-V)
            bad=""
            if run_make "$log" "$ex" MICROKIT_SDK="$STUB" MICROKIT_BOARD=$board MICROKIT_TOOLCHAIN=llvm "${nanopb[@]}"; then
                for img in $(images_of "$ex"); do
                    llvm-readelf -h "$b/$img" 2>/dev/null | grep -q "Machine: *$machine" || bad="$bad $img(not $machine)"
                    llvm-nm "$b/$img" 2>/dev/null | grep -q ' stub_sdk_marker$' || bad="$bad $img(not the SDK's microkit.h)"
                done
                [ -s "$b/loader.img" ] || bad="$bad loader.img"
                # nanopb compiled from NANOPB_SRC for the target, not Debian's host library
                if [ ${#nanopb[@]} -gt 0 ]; then
                    for img in $(images_of "$ex"); do llvm-nm "$b/$img" 2>/dev/null; done |
                        grep -q ' T pb_encode$' || bad="$bad no-image-has-pb_encode"
                fi
            else
                bad=" make failed"
            fi
            if [ -z "$bad" ]; then
                ok "$name: make MICROKIT_SDK=<stub> ($board) cross-compiles and links every PD with ld.lld against the SDK's header and libmicrokit, and the tool finds them"
            else
                echo "problems:$bad" >> "$log"
                not_ok "$name: real cross build for $board" "$log"
            fi
        done
    done
else
    n=$((n + 1))
    echo "ok $n - real cross build # SKIP clang, ld.lld or llvm-ar missing (Debian: clang lld llvm)"
fi

echo "1..$n"
exit $fail
