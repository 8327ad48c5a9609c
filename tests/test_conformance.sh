#!/bin/sh
# test_conformance.sh — the Microkit tool's own system-description cases (kept outside the repo, in
# ../shared/sdf-cases; see its README): each case goes through `hostkit check FLAGS --search-path
# prefills sdf/FILE`, which must give the tool's result: exit 0 for `ok`; for `error` a non-zero
# exit and a standard error that starts with the tool's message. One TAP test per case (prove runs
# it with the suite; `make conformance` runs only this); "1..0 # SKIP" when the cases are absent.
# Usage: test_conformance.sh [HOSTKIT] [CASES-DIR]   (defaults: $HOSTKIT or build/hostkit;
# $HOSTKIT_SDF_CASES or ../shared/sdf-cases beside the tree)
top=$(cd "$(dirname "$0")/.." && pwd)
HOSTKIT=${1:-${HOSTKIT:-$top/build/hostkit}}
CASES=${2:-${HOSTKIT_SDF_CASES:-$top/../shared/sdf-cases}}
case $HOSTKIT in /*) ;; *) HOSTKIT=$(pwd)/$HOSTKIT ;; esac
if [ ! -f "$CASES/manifest.tsv" ]; then
    echo "1..0 # SKIP no Microkit tool cases at $CASES (../shared/sdf-cases)"
    exit 0
fi
cd "$CASES" || exit 1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostkit-conformance.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0 fail=0
tab=$(printf '\t')
while IFS="$tab" read -r file flags expect message; do
    [ "$file" = file ] && continue
    [ -n "$file" ] || continue
    n=$((n + 1))
    # shellcheck disable=SC2086 # the flags are several options
    "$HOSTKIT" check $flags --search-path prefills "sdf/$file" >"$tmp/out" 2>"$tmp/err"
    status=$?
    ok=1
    if [ "$expect" = ok ]; then
        [ $status -eq 0 ] || ok=0
    elif [ $status -eq 0 ]; then
        ok=0
    else
        # compare byte-exactly through files (the message may span lines)
        printf '%s' "$message" | sed 's/\\n/\n/g' >"$tmp/want"
        head -c "$(wc -c <"$tmp/want")" "$tmp/err" >"$tmp/got"
        cmp -s "$tmp/want" "$tmp/got" || ok=0
    fi
    if [ $ok -eq 1 ]; then
        echo "ok $n - $file ($flags): $expect"
    else
        fail=1
        echo "not ok $n - $file ($flags): expected $expect${message:+: $message}"
        echo "# exit $status, stderr:"
        { head -c 400 "$tmp/err"; echo; } | sed 's/^/#   /'
    fi
done <manifest.tsv
echo "1..$n"
exit $fail
