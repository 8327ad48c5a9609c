#!/bin/sh
# deps.sh — installs the Debian packages hostkit needs, when one is missing.
#   scripts/deps.sh                  the `default` group (what `make simulate` and `make test` need)
#   scripts/deps.sh WORD...          those groups of scripts/debian-packages.txt, or packages by name
#                                    (`scripts/deps.sh valgrind ci`, `scripts/deps.sh graphviz`)
#   scripts/deps.sh --list WORD...   only prints the packages, one per line (installs nothing)
# The groups and their packages are in scripts/debian-packages.txt, and nowhere else.
# As root it runs apt-get; otherwise `sudo -n apt-get` if it may, else it prints the command to run.
set -ef # no globbing: a package word is a name, never a file pattern
list_file=$(dirname "$0")/debian-packages.txt
list_only=0
if [ "${1:-}" = --list ]; then
    list_only=1
    shift
fi
[ $# -gt 0 ] || set -- default

# The words of group $1, one per line; status 1 when there is no such group. A group may have
# several lines.
group_words() {
    awk -v g="$1:" '$1 == g { found = 1; for (i = 2; i <= NF; i++) print $i } END { exit !found }' "$list_file"
}
# Expands each word after the first (the group being expanded, or ""): a group to its packages,
# recursively, anything else (and a word naming its own group, as in `valgrind: valgrind`) stays a
# package name.
expand() {
    local in=$1 w words
    shift
    for w in "$@"; do
        if [ "$w" != "$in" ] && words=$(group_words "$w"); then
            # shellcheck disable=SC2086 # the group's words are meant to be split
            expand "$w" $words
        else
            echo "$w"
        fi
    done
}
pkgs=$(expand "" "$@" | awk '!seen[$0]++')
if [ $list_only = 1 ]; then
    echo "$pkgs"
    exit 0
fi

missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
# apt-get's output goes to a log, shown (its end) only when it fails: dpkg's errors are in it.
install() { # [sudo]
    log=$(mktemp "${TMPDIR:-/tmp}/hostkit-deps.XXXXXX")
    echo "deps: installing$missing"
    if "$@" apt-get update -qq >"$log" 2>&1 &&
        "$@" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >>"$log" 2>&1; then
        rm -f "$log"
    else
        tail -n 30 "$log" >&2
        echo "deps: apt-get failed (its whole output: $log)" >&2
        exit 1
    fi
}
if [ "$(id -u)" = 0 ]; then
    install
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    install sudo
else
    echo "deps: missing Debian packages:$missing" >&2
    echo "deps: run: sudo apt-get install$missing" >&2
    exit 1
fi
