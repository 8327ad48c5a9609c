#!/bin/sh
# Installs the Debian packages hostkit needs to build and test, if any is missing.
# As root it runs apt-get; otherwise it prints the command to run.
# clang, lld and llvm (llvm-nm) cross-compile the example PDs freestanding for seL4 in `make test`.
# Optional packages are asked for by name: `scripts/deps.sh graphviz` also installs Graphviz, which
# `hostkit graph -o FILE.svg|.png` uses to render (the tests do not need it).
set -e
pkgs="build-essential libexpat1-dev libcmocka-dev nanopb libnanopb-dev protobuf-compiler python3-protobuf perl clang lld llvm libdw-dev gdb gdbserver python3-pytest libxml2-utils nodejs lcov $*"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "deps: installing$missing"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
else
    echo "deps: missing Debian packages:$missing" >&2
    echo "deps: run: sudo apt-get install$missing" >&2
    exit 1
fi
