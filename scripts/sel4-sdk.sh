#!/bin/sh
# sel4-sdk.sh — builds the Microkit 2.0.1 SDK (qemu_virt_aarch64 and qemu_virt_riscv64, debug) from
# source, offline, for `make sel4-sdk`: the seL4 that `make test-sel4` and `make bench` compare
# hostkit with. It follows the recipe of ../shared/sel4/README.md:
#   1. the Debian packages of scripts/debian-packages.txt's groups sel4, sel4-riscv64 (sel4-rust when
#      there is no `cargo` on PATH), installed by scripts/deps.sh;
#   2. the archives unpacked into $OUT/src/;
#   3. the 2.0.1 tool (tool/microkit) built by cargo from Debian's crate registry, offline, after
#      the patch (which sets the registry and `offline = true` in the tool's .cargo/config.toml);
#   4. the kernel, loader, monitor and libmicrokit of each board by the tree's build_sdk.py, run by
#      Debian's python3 (it has ply, jinja2, yaml) with pyfdt on PYTHONPATH. For riscv64, Debian's
#      riscv64-linux-gnu gcc makes position-independent code, which the loader's link refuses:
#      the build gets riscv64-unknown-elf-* wrappers (generated in $OUT/bin) running the
#      riscv64-linux-gnu tools, gcc with -fno-pic -fno-pie.
# Result: $OUT/microkit-sdk-2.0.1 (MICROKIT_SDK=… for mk/microkit-sdk.mk), $OUT/nanopb-0.4.7
# (nanopb's C runtime, NANOPB_SRC=… for PDs linking nanopb) and $OUT/bin (the riscv64-unknown-elf-*
# wrappers, for anything else that wants those names on PATH). Nothing is downloaded.
#
#   scripts/sel4-sdk.sh [--print-sdk]
# Environment: SEL4_SOURCES (default ../shared/sel4 beside the source tree) holds the archives;
# SEL4_SDK_OUT (default build/sel4-sdk) is where everything goes.
#
# Rebuilt only when an input changed: $OUT/stamp holds the SHA-256 of every archive, the patch,
# this script and the package list; when it matches and the SDK is there, nothing is done (the
# packages are still checked, so QEMU is there for the tests). Each step prints its time; its
# output goes to $OUT/logs/STEP.log, whose tail is shown when it fails.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
sources=${SEL4_SOURCES:-$top/../shared/sel4}
out=${SEL4_SDK_OUT:-$top/build/sel4-sdk}
version=2.0.1
sdk=$out/microkit-sdk-$version
boards="qemu_virt_aarch64 qemu_virt_riscv64"
sel4_archive=seL4-4b97df4c.tar.gz
microkit_archive=microkit-$version.tar.gz
pyfdt_archive=pyfdt-0.3.tar.gz
nanopb_archive=nanopb-0.4.7-core.tar.gz
patch_file=microkit-tool-debian-crates.patch
packages=$top/scripts/debian-packages.txt

if [ "${1:-}" = --print-sdk ]; then
    echo "$sdk"
    exit 0
fi
[ $# -eq 0 ] || { echo "usage: $0 [--print-sdk]" >&2; exit 2; }

[ -d "$sources" ] || { echo "sel4-sdk: SEL4_SOURCES=$sources: no such directory" >&2; exit 1; }
sources=$(cd "$sources" && pwd)
mkdir -p "$out"
out=$(cd "$out" && pwd)
sdk=$out/microkit-sdk-$version

say() { echo "sel4-sdk: $*"; }
die() { echo "sel4-sdk: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

# The packages of the groups named, from scripts/debian-packages.txt.
group() { sed -n "s/^$1:[[:space:]]*//p" "$packages"; }

for f in $sel4_archive $microkit_archive $pyfdt_archive $nanopb_archive $patch_file; do
    [ -f "$sources/$f" ] || die "SEL4_SOURCES=$sources has no $f (see ../shared/sel4/README.md for the archives it must hold)"
done

# ---- 1. Debian packages ----
t=$(now)
pkgs="$(group sel4) $(group sel4-riscv64)"
command -v cargo >/dev/null 2>&1 || pkgs="$pkgs $(group sel4-rust)"
# shellcheck disable=SC2086 # a list of package names
"$top/scripts/deps.sh" $pkgs
cargo=$(command -v cargo) || die "no cargo on PATH after installing $(group sel4-rust)"
say "packages: $(since "$t")"

# ---- Is it up to date? ----
stamp=$(cd "$sources" && sha256sum $sel4_archive $microkit_archive $pyfdt_archive $nanopb_archive $patch_file |
    awk '{ print $1, $2 }'
    sha256sum "$top/scripts/sel4-sdk.sh" | awk '{ print $1 }'
    { group sel4; group sel4-riscv64; group sel4-rust; } | sha256sum | awk '{ print $1 }')
if [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$stamp" ] && [ -x "$sdk/bin/microkit" ] &&
    [ -f "$out/nanopb-0.4.7/pb_encode.c" ] && [ -x "$out/bin/riscv64-unknown-elf-gcc" ]; then
    say "up to date: $sdk"
    exit 0
fi
total=$(now)
rm -rf "${out:?}/src" "${out:?}/logs" "${out:?}/stamp" "$sdk" "${out:?}/nanopb-0.4.7" "${out:?}/bin"
mkdir -p "$out/src" "$out/logs"

# Runs "$@" with its output in logs/$1.log (step name first); on failure shows the log's tail.
step() {
    name=$1
    shift
    t=$(now)
    if ! "$@" >"$out/logs/$name.log" 2>&1; then
        tail -n 30 "$out/logs/$name.log" >&2
        die "step '$name' failed (whole log: $out/logs/$name.log)"
    fi
    say "$name: $(since "$t")"
}

# ---- 2. unpack ----
unpack() {
    for f in $sel4_archive $microkit_archive $pyfdt_archive $nanopb_archive; do
        tar -xzf "$sources/$f" -C "$out/src"
    done
}
step unpack unpack
src=$out/src/microkit-$version
sel4=$out/src/${sel4_archive%.tar.gz}
[ -f "$src/build_sdk.py" ] || die "$microkit_archive did not unpack to microkit-$version/ with build_sdk.py"
[ -d "$sel4" ] || die "$sel4_archive did not unpack to ${sel4_archive%.tar.gz}/"
# SMC calls allowed on qemu_virt_aarch64, as Microkit 2.3's build_sdk.py allows them on every AArch64
# board (its DEFAULT_KERNEL_OPTIONS_AARCH64: KernelAllowSMCCalls) and hostkit's headers say
# (CONFIG_ALLOW_SMC_CALLS): 2.0.1's tool and libmicrokit have smc="true" and microkit_arm_smc_call,
# its build_sdk.py leaves the kernel option off.
grep -q '"KernelPlatform": "qemu-arm-virt",' "$src/build_sdk.py" ||
    die "$microkit_archive's build_sdk.py has no qemu-arm-virt board to allow SMC calls on"
sed -i 's/"KernelPlatform": "qemu-arm-virt",/&\n            "KernelAllowSMCCalls": True,/' "$src/build_sdk.py"

# ---- 3. the tool ----
# A copy of tool/microkit, so the tree stays as released. The patch's paths are
# src/microkit/tool/microkit/FILE: -p4 leaves FILE.
build_tool() {
    cp -R "$src/tool/microkit" "$out/src/tool"
    rm -f "$out/src/tool/Cargo.lock"
    (cd "$out/src/tool" && patch -p4 <"$sources/$patch_file")
    (cd "$out/src/tool" && "$cargo" --version && "$cargo" build --release --offline --jobs 2)
}
step tool build_tool

# ---- 4. the SDK, board by board ----
# Debian's python3 first on PATH (and as build_sdk.py's interpreter, which it hands to the kernel's
# CMake as PYTHON3), then the riscv64-unknown-elf-* wrappers.
pybin=$out/src/bin bin=$out/bin
mkdir -p "$pybin" "$bin"
ln -s /usr/bin/python3 "$pybin/python3"
for tool in ar as cpp gcc-ar ld nm objcopy objdump ranlib readelf strip; do
    printf '#!/bin/sh\nexec riscv64-linux-gnu-%s "$@"\n' "$tool" >"$bin/riscv64-unknown-elf-$tool"
done
printf '#!/bin/sh\nexec riscv64-linux-gnu-gcc -fno-pic -fno-pie "$@"\n' >"$bin/riscv64-unknown-elf-gcc"
chmod +x "$bin"/riscv64-unknown-elf-*
build_board() (
    # hostkit's make exports these; the SDK's own Makefiles must not see them.
    unset TOP BUILD CFLAGS_BASE LDFLAGS_BASE SANITIZE MAKEFLAGS MFLAGS MAKELEVEL
    # Two jobs at most (ninja would run cores + 2): the machines are shared.
    export CMAKE_BUILD_PARALLEL_LEVEL=2
    cd "$src" && PATH=$pybin:$bin:/usr/bin:$PATH PYTHONPATH=$out/src/pyfdt-0.3 /usr/bin/python3 build_sdk.py \
        --sel4 "$sel4" --boards "$1" --configs debug --skip-docs --skip-tar --skip-tool \
        --toolchain-prefix-aarch64 aarch64-linux-gnu --toolchain-prefix-riscv64 riscv64-unknown-elf
)
for board in $boards; do
    step "$board" build_board "$board"
done

# ---- 5. install ----
install -m 755 "$out/src/tool/target/release/microkit" "$src/release/microkit-sdk-$version/bin/microkit"
mv "$src/release/microkit-sdk-$version" "$sdk"
mv "$out/src/nanopb-0.4.7" "$out/nanopb-0.4.7"
echo "$stamp" >"$out/stamp"
say "built $sdk in $(since "$total") (boards: $boards; debug)"
