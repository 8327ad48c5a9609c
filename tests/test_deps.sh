#!/bin/sh
# test_deps.sh — the package list is kept in one place: scripts/debian-packages.txt has the groups
# scripts/deps.sh installs, and the README's table (between <!-- deps:begin --> and
# <!-- deps:end -->) must list exactly the same groups with the same words in the same order; every
# word is a group or a Debian package name; `scripts/deps.sh --list` expands groups fully; and every
# package of `default` is installed (make test ran `make deps` first). Prints TAP (prove runs it).
top=$(cd "$(dirname "$0")/.." && pwd)
list=$top/scripts/debian-packages.txt
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostkit-deps.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; [ -z "${2:-}" ] || sed 's/^/# /' "$2"; }

# "GROUP: WORD..." of the list file, and the same made from the README's table rows
# "| `GROUP` | `WORD...` | ... |", each as one line "GROUP WORD...".
awk '/^[a-z0-9-]+:/ { g = substr($1, 1, length($1) - 1); $1 = ""; words[g] = words[g] $0; if (!(g in seen)) { seen[g] = 1; order[++k] = g } }
     END { for (i = 1; i <= k; i++) { $0 = order[i] words[order[i]]; $1 = $1; print } }' "$list" >"$tmp/file"
sed -n '/<!-- deps:begin -->/,/<!-- deps:end -->/p' "$top/README.md" |
    awk -F'|' '$2 ~ /`/ { row = $2 " " $3; gsub(/`/, "", row); gsub(/[ \t]+/, " ", row); sub(/^ /, "", row); sub(/ $/, "", row); print row }' >"$tmp/readme"
if [ -s "$tmp/file" ] && diff -u "$tmp/file" "$tmp/readme" >"$tmp/diff"; then
    ok "the README's package table has the $(wc -l <"$tmp/file") groups of scripts/debian-packages.txt, word for word"
else
    echo "(- scripts/debian-packages.txt, + README.md)" >>"$tmp/diff"
    not_ok "the README's package table agrees with scripts/debian-packages.txt" "$tmp/diff"
fi

# Every word: another group, or a name Debian allows for a package (lower case, digits, + - .).
groups=$(cut -d' ' -f1 "$tmp/file")
: >"$tmp/bad"
while read -r g words; do
    [ -n "$words" ] || echo "$g: empty group" >>"$tmp/bad"
    for w in $words; do
        echo "$groups" | grep -qx -- "$w" && continue
        echo "$w" | grep -Eqx '[a-z0-9][a-z0-9+.-]+' || echo "$g: '$w' is neither a group nor a package name" >>"$tmp/bad"
    done
done <"$tmp/file"
if [ -s "$tmp/bad" ]; then
    not_ok "every word of every group is a group or a package name" "$tmp/bad"
else
    ok "every word of every group is a group or a package name"
fi

# --list expands groups into packages, each once.
sh "$top/scripts/deps.sh" --list ci >"$tmp/ci" 2>&1
: >"$tmp/bad"
for g in $groups; do
    # a word that is both a group and its own package (valgrind: valgrind) may stay
    grep -qx -- "$g" "$tmp/ci" && ! grep -Eq "^$g:.*[[:space:]]$g([[:space:]]|\$)" "$list" &&
        echo "group name $g left in the list" >>"$tmp/bad"
done
[ "$(sort "$tmp/ci" | uniq -d)" = "" ] || echo "packages listed twice: $(sort "$tmp/ci" | uniq -d)" >>"$tmp/bad"
for p in make build-essential libcmocka-dev clang debootstrap; do
    grep -qx "$p" "$tmp/ci" || echo "$p missing from the ci group's packages" >>"$tmp/bad"
done
if [ -s "$tmp/bad" ]; then
    cat "$tmp/ci" >>"$tmp/bad"
    not_ok "scripts/deps.sh --list ci expands every group, each package once" "$tmp/bad"
else
    ok "scripts/deps.sh --list ci expands every group into $(wc -l <"$tmp/ci") packages, each once"
fi

# make test ran `make deps`: everything of `default` is installed.
: >"$tmp/bad"
for p in $(sh "$top/scripts/deps.sh" --list default); do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || echo "$p" >>"$tmp/bad"
done
if [ -s "$tmp/bad" ]; then
    not_ok "every package of the default group is installed (make deps)" "$tmp/bad"
else
    ok "every package of the default group is installed (make deps)"
fi

# every make target .ci/run calls is one the Makefile has (a merge once dropped test-fresh's
# include, and CI found out only after both test suites had run)
: >"$tmp/bad"
for t in $(sed -n 's/^step "[^"]*" make \([a-z-]*\).*/\1/p' "$top/.ci/run"); do
    make -C "$top" -n "$t" >/dev/null 2>&1 || echo "make $t: no such target" >>"$tmp/bad"
done
if [ -s "$tmp/bad" ]; then
    not_ok "every make target .ci/run calls exists" "$tmp/bad"
else
    ok "every make target .ci/run calls exists ($(sed -n 's/^step "[^"]*" make \([a-z-]*\).*/\1/p' "$top/.ci/run" | sort -u | tr '\n' ' '))"
fi

echo "1..$n"
exit $fail
