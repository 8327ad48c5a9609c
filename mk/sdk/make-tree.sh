#!/bin/bash
# make-tree.sh — builds hostkit's SDK tree, laid out as a Microkit SDK (mk/sdk.mk runs it; the
# layout and the reasons are in docs/sdk.md):
#
#   mk/sdk/make-tree.sh OUT TOP LIBHOSTKIT HOSTKIT HOST_CC HOST_ARCH VERSION [LINK_FLAG...]
#
#   OUT/VERSION
#   OUT/bin/microkit                    the tool (mk/sdk/microkit)
#   OUT/bin/hostkit                     a relative link to HOSTKIT
#   OUT/bin/hostkit-cross               the toolchain shim (mk/sdk/hostkit-cross.in, with HOST_CC,
#                                       HOST_ARCH and the LINK_FLAGs every PD link gets)
#   OUT/bin/TRIPLE-TOOL                 links to hostkit-cross, for the triples Microkit Makefiles use
#   OUT/bin/clang, ld.lld, llvm-ar ...  links to hostkit-cross, for Makefiles on LLVM (sDDF)
#   OUT/lib/libmicrokit.a               LIBHOSTKIT
#   OUT/lib/microkit.ld                 mk/sdk/microkit.ld
#   OUT/lib/python/                     mk/sddf/python: hostkit's sdfgen, for sDDF (docs/sddf.md)
#   OUT/board/BOARD/CONFIG/include/     TOP/include/ with the board's kernel/gen_config.{h,json}
#   OUT/board/BOARD/CONFIG/lib/         relative links to OUT/lib/libmicrokit.a and microkit.ld
# for every board of mk/sdk/boards.txt and its configurations: debug, release, benchmark, and
# smp-debug, smp-release, smp-benchmark when the board has smp cores. The tree is built beside OUT
# and moved into place, so a failed build leaves the old one.
set -euo pipefail
[ $# -ge 7 ] || { echo "usage: $0 OUT TOP LIBHOSTKIT HOSTKIT HOST_CC HOST_ARCH VERSION [LINK_FLAG...]" >&2; exit 2; }
out=$1 top=$2 lib=$3 hostkit=$4 host_cc=$5 host_arch=$6 version=$7
shift 7
sdk=$top/mk/sdk
boards=$sdk/boards.txt
triples="aarch64-none-elf riscv64-unknown-elf x86_64-linux-gnu"
tools="gcc g++ cc cpp as ld ar ranlib nm objcopy objdump readelf size strip"

# The host compiler by its absolute path: x86_64-linux-gnu-gcc on PATH is the shim itself.
host_cc_path=$(command -v "$host_cc") || { echo "$0: no host compiler '$host_cc'" >&2; exit 1; }
quoted_flags=""
for f in "$@"; do quoted_flags+="$(printf '%q' "$f") "; done

new=$out.new
rm -rf "$new"
mkdir -p "$new/bin" "$new/lib" "$new/board"
echo "$version" >"$new/VERSION"
install -m 755 "$sdk/microkit" "$new/bin/microkit"
ln -s "$(realpath -m --relative-to="$out/bin" "$hostkit")" "$new/bin/hostkit"
# clang by its absolute path too (bin/clang is the shim); empty when the host has none.
host_clang_path=$(PATH=$(echo "$PATH" | tr ':' '\n' | grep -vxF "$out/bin" | paste -sd:) command -v clang || true)
sed -e "s|@HOST_CC@|$(printf '%q' "$host_cc_path")|" -e "s|@HOST_CLANG@|$(printf '%q' "$host_clang_path")|" \
    -e "s|@HOST_ARCH@|$host_arch|" \
    -e "s|@LINK_FLAGS@|${quoted_flags% }|" "$sdk/hostkit-cross.in" >"$new/bin/hostkit-cross"
chmod 755 "$new/bin/hostkit-cross"
for t in $triples; do
    for tool in $tools; do ln -s hostkit-cross "$new/bin/$t-$tool"; done
done
for tool in clang clang++ ld.lld llvm-ar llvm-ranlib llvm-objcopy llvm-objdump llvm-nm llvm-readelf llvm-size llvm-strip; do
    ln -s hostkit-cross "$new/bin/$tool"
done
install -m 644 "$lib" "$new/lib/libmicrokit.a"
# hostkit's sdfgen (sDDF's system generator's Python API), for sDDF's meta.py: PYTHONPATH=OUT/lib/python
mkdir -p "$new/lib/python"
cp -R "$top/mk/sddf/python/." "$new/lib/python/"
rm -rf "$new"/lib/python/*/__pycache__
install -m 644 "$sdk/microkit.ld" "$new/lib/microkit.ld"

awk '$1 !~ /^#/ && NF { print $1, $5 }' "$boards" | while read -r board smp; do
    configs="debug release benchmark"
    [ "$smp" = - ] || configs+=" smp-debug smp-release smp-benchmark"
    for config in $configs; do
        dir=$new/board/$board/$config
        mkdir -p "$dir/lib"
        cp -R "$top/include" "$dir/include"
        "$sdk/gen-config.sh" "$boards" "$board" "$config" "$host_arch" "$dir/include"
        ln -s ../../../../lib/libmicrokit.a "$dir/lib/libmicrokit.a"
        ln -s ../../../../lib/microkit.ld "$dir/lib/microkit.ld"
    done
done

rm -rf "$out"
mv "$new" "$out"
