#!/bin/bash
# fresh-root.sh — makes the pristine minimal Debian 12 root that `make test-fresh` starts every run
# from (scripts/test-fresh.sh): `debootstrap --variant=minbase bookworm` from the Debian mirror, its
# apt sources set to bookworm, bookworm-updates and bookworm-security, packed into DIR/minbase.tar.
# The .deb files debootstrap (and later apt-get in the runs) download are kept in DIR/debs, so a
# second root, or a second run, downloads nothing it already has.
# Usage (as root): scripts/fresh-root.sh DIR. tests/fresh.mk makes it again when scripts/deps.sh,
# scripts/debian-packages.txt or this script change.
# Mirrors: FRESH_MIRROR (default http://deb.debian.org/debian, what this machine's
# /etc/apt/sources.list.d uses) and FRESH_SECURITY_MIRROR (default http://deb.debian.org/debian-security).
set -euo pipefail
dir=${1:?usage: fresh-root.sh DIR}
mirror=${FRESH_MIRROR:-http://deb.debian.org/debian}
security=${FRESH_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
[ "$(id -u)" = 0 ] || { echo "fresh-root: needs root (debootstrap)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "fresh-root: debootstrap is missing: scripts/deps.sh fresh" >&2; exit 1; }

mkdir -p "$dir/debs"
dir=$(cd "$dir" && pwd)
tmp=$dir/minbase.tmp
# A half-made root from an interrupted run: nothing is ever mounted in it (debootstrap mounts
# proc and sys inside it only while it runs, and only in a mount namespace of its own here, which
# ends with it), but make sure before deleting.
if findmnt -rn -o TARGET | grep -q "^$tmp/"; then
    echo "fresh-root: something is mounted under $tmp; unmount it first" >&2
    exit 1
fi
rm -rf "$tmp" "$dir/minbase.tar"
start=$(date +%s)
echo "fresh-root: debootstrap --variant=minbase bookworm from $mirror"
unshare --mount --propagation private \
    debootstrap --variant=minbase --cache-dir="$dir/debs" bookworm "$tmp" "$mirror" >"$dir/debootstrap.log" 2>&1 || {
    tail -20 "$dir/debootstrap.log" >&2
    echo "fresh-root: debootstrap failed (whole log: $dir/debootstrap.log)" >&2
    exit 1
}
cat >"$tmp/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
# dpkg without fsync(): a run's root is thrown away after it, so a crash mid-install costs nothing,
# and the packages of `make test` (compilers, QEMU, crates) install much faster. Debian's own
# container images set the same option.
echo force-unsafe-io >"$tmp/etc/dpkg/dpkg.cfg.d/hostkit-fresh-unsafe-io"
# What debootstrap left in apt's cache is in $dir/debs already.
rm -f "$tmp"/var/cache/apt/archives/*.deb
tar -C "$tmp" -cf "$dir/minbase.tar.tmp" .
mv "$dir/minbase.tar.tmp" "$dir/minbase.tar"
rm -rf "$tmp"
echo "fresh-root: $dir/minbase.tar ($(du -m "$dir/minbase.tar" | cut -f1) MiB) in $(($(date +%s) - start)) s"
