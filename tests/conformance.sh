#!/bin/sh
# conformance.sh — runs the Microkit tool's own system-description cases (kept outside the repo in
# ../shared/sdf-cases) through `hostkit check` and compares exit status and the start of stderr
# with what the tool printed. Usage: conformance.sh [HOSTKIT] [CASES-DIR]
HOSTKIT=${1:-${HOSTKIT:-$(dirname "$0")/../build/hostkit}}
CASES=${2:-$(dirname "$0")/../../shared/sdf-cases}
case $HOSTKIT in /*) ;; *) HOSTKIT=$(pwd)/$HOSTKIT ;; esac
if [ ! -f "$CASES/manifest.tsv" ]; then
    echo "conformance: no cases at $CASES, skipped"
    exit 0
fi
cd "$CASES" || exit 1
pass=0 fail=0
tab=$(printf '\t')
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
while IFS="$tab" read -r file flags expect message; do
    [ "$file" = file ] && continue
    [ -n "$file" ] || continue
    # shellcheck disable=SC2086
    "$HOSTKIT" check $flags --search-path prefills "sdf/$file" >"$out" 2>"$err"
    status=$?
    ok=1
    if [ "$expect" = ok ]; then
        [ $status -eq 0 ] || ok=0
    else
        if [ $status -eq 0 ]; then
            ok=0
        else
            want=$(printf '%s' "$message" | sed 's/\\n/\n/g')
            got=$(head -c ${#want} "$err")
            # compare byte-exactly through files (the message may span lines)
            printf '%s' "$want" >"$out.want"
            head -c "$(wc -c <"$out.want")" "$err" >"$out.got"
            cmp -s "$out.want" "$out.got" || ok=0
            rm -f "$out.want" "$out.got"
            : "$got"
        fi
    fi
    if [ $ok -eq 1 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $file ($flags) expected $expect${message:+: $message}"
        echo "  exit $status, stderr: $(head -c 400 "$err")"
    fi
done <manifest.tsv
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
