#!/bin/bash
# test-fresh.sh — `make test-fresh`: the README's first commands, as a new user runs them on a
# minimal Debian 12, as root. Each run:
#   1. unpacks the pristine root (DIR/minbase.tar, made by scripts/fresh-root.sh) into DIR/run;
#   2. clones the commit under test (HEAD of this tree: uncommitted changes are NOT tested) to
#      /work/hostkit in it, with /work/shared beside it: the real ../shared, bind-mounted read-only;
#   3. in a mount and PID namespace of its own (unshare), mounts proc, a small /dev (tmpfs with the
#      usual nodes, devpts, /dev/shm), sys read-only, ../shared, and DIR/debs as apt's archive cache
#      (so repeated runs download no .deb twice); runs in the root (chroot, as root, a clean
#      environment, stdin from /dev/null) each command of the README's first code block in turn,
#      in /work/hostkit: `apt-get update && apt-get install -y make`, `make simulate`, `make test`;
#   4. fails when any fails, saying which; prints the time of each step.
# HOSTKIT_FAIL_ON_SKIP=1 is set for the commands: a test that skips fails the run (the root has
# everything scripts/deps.sh installs). The mounts live only in the run's namespace, and a trap
# unmounts them too: when the run ends, however it ends, nothing is left mounted. The root is
# deleted after a run that passed, and kept for a look after one that failed (until the next run).
# Usage (as root): scripts/test-fresh.sh DIR
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
script=$top/scripts/test-fresh.sh
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
say() { echo "fresh: $*"; }

# The commands of the README's first ```sh block, one per line, without their `# comments`.
readme_commands() {
    awk '/^```sh$/ && !done { inside = 1; next }
         inside && /^```$/ { inside = 0; done = 1; next }
         inside { sub(/[ \t]+#.*$/, ""); if ($0 != "") print }' "$1"
}

# ---- inside the namespaces: mount, run the commands, unmount ----
if [ "${1:-}" = --inside ]; then
    root=$2 shared=$3 debs=$4
    mounted=()
    cleanup() {
        local i
        for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
            umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" || true
        done
        mounted=()
    }
    trap cleanup EXIT
    trap 'say "interrupted"; exit 130' INT TERM
    mnt() { # mount ARGS... TARGET (the target last)
        mount "$@"
        mounted+=("${!#}")
    }
    mnt -t proc -o nosuid,nodev,noexec proc "$root/proc"
    mnt -t sysfs -o ro,nosuid,nodev,noexec sysfs "$root/sys"
    mnt -t tmpfs -o nosuid,mode=755,size=64k dev "$root/dev"
    for node in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
        IFS=: read -r name major minor <<<"$node"
        mknod -m 666 "$root/dev/$name" c "$major" "$minor"
    done
    ln -s /proc/self/fd "$root/dev/fd"
    ln -s /proc/self/fd/0 "$root/dev/stdin"
    ln -s /proc/self/fd/1 "$root/dev/stdout"
    ln -s /proc/self/fd/2 "$root/dev/stderr"
    mkdir "$root/dev/pts" "$root/dev/shm"
    mnt -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$root/dev/pts"
    ln -s pts/ptmx "$root/dev/ptmx"
    mnt -t tmpfs -o nosuid,nodev,mode=1777 shm "$root/dev/shm"
    mnt --bind "$shared" "$root/work/shared"
    mount -o remount,bind,ro "$root/work/shared"
    mnt --bind "$debs" "$root/var/cache/apt/archives"

    status=0
    n=0
    while IFS= read -r cmd; do
        n=$((n + 1))
        say "step $n: $cmd"
        t=$(now)
        if chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
                HOME=/root LANG=C.UTF-8 TERM=dumb HOSTKIT_FAIL_ON_SKIP=1 \
                /bin/sh -c "cd /work/hostkit && $cmd" </dev/null; then
            say "step $n ($cmd): ok, $(secs "$t") s"
        else
            status=$?
            say "step $n ($cmd): FAILED (exit $status) after $(secs "$t") s"
            break
        fi
    done < <(readme_commands "$root/work/hostkit/README.md")
    # Drop the .debs no mirror has any more, so the cache does not grow forever.
    chroot "$root" apt-get autoclean -qq >/dev/null 2>&1 || true
    exit $status
fi

# ---- outside: check, prepare the root, start the namespaces ----
dir=${1:?usage: test-fresh.sh DIR}
dir=$(cd "$dir" && pwd)
run=$dir/run
shared=$(cd "$top/.." && pwd)/shared
[ "$(id -u)" = 0 ] || { say "needs root (chroot, mounts)" >&2; exit 1; }
for tool in unshare chroot git findmnt mknod tar; do
    command -v $tool >/dev/null || { say "$tool is missing: scripts/deps.sh fresh" >&2; exit 1; }
done
[ -f "$dir/minbase.tar" ] || { say "no pristine root $dir/minbase.tar: make test-fresh makes it" >&2; exit 1; }
[ -d "$shared" ] || { say "no ../shared beside the tree ($shared): the tests need it" >&2; exit 1; }
commit=$(git -C "$top" rev-parse HEAD)
if [ -n "$(git -C "$top" status --porcelain --untracked-files=no)" ]; then
    say "note: $top has uncommitted changes; they are NOT tested (only commit $commit is)"
fi

total=$(now)
if findmnt -rn -o TARGET | grep -q "^$run/"; then
    say "something is mounted under $run; refusing to delete it" >&2
    exit 1
fi
t=$(now)
rm -rf "$run"
mkdir -p "$run"
tar -C "$run" -xf "$dir/minbase.tar"
cp /etc/resolv.conf "$run/etc/resolv.conf"
mkdir -p "$run/work/shared"
say "pristine root unpacked to $run: $(secs "$t") s"
t=$(now)
git clone -q --no-hardlinks "$top" "$run/work/hostkit"
git -C "$run/work/hostkit" checkout -q --detach "$commit"
commands=$(readme_commands "$run/work/hostkit/README.md")
for want in "make simulate" "make test"; do
    grep -qx "$want" <<<"$commands" || {
        say "the README's first code block has no line \`$want\`; it has:" >&2
        echo "$commands" >&2
        exit 1
    }
done
say "clone of $commit ($(git -C "$top" log -1 --format=%s "$commit" | cut -c1-60)) at /work/hostkit: $(secs "$t") s"

# Interrupted: the namespaces' processes get the signal too, unmount and end; say so once they have.
trap 'say "interrupted; the root is kept at $run (the next run deletes it)"; exit 130' INT TERM
status=0
unshare --mount --pid --fork --kill-child --propagation private \
    bash "$script" --inside "$run" "$shared" "$dir/debs" || status=$?
if findmnt -rn -o TARGET | grep -q "^$run/"; then
    say "BUG: still mounted under $run:" >&2
    findmnt -rn -o TARGET | grep "^$run/" >&2
    status=1
fi
if [ $status = 0 ]; then
    rm -rf "$run"
    say "PASS: the README's commands passed on a fresh Debian 12 root, $(secs "$total") s in all"
else
    say "FAIL (exit $status) after $(secs "$total") s; the root is kept at $run (chroot into it to look;" \
        "the next run deletes it)"
fi
exit $status
