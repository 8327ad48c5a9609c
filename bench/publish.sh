#!/bin/sh
# publish.sh [RESULTS_FILE] — copies a saved benchmark result (default: the newest in bench/results/)
# into docs/performance.md and README.md, between the lines "<!-- bench:begin -->" and
# "<!-- bench:end -->", so that both always show the latest `make bench SAVE=1` table.
# Run by `make bench-publish`; touches nothing outside those markers.
set -eu
cd "$(dirname "$0")/.."
res=${1:-$(ls bench/results/*.txt | sort | tail -n 1)}
[ -f "$res" ] || { echo "publish.sh: no results file" >&2; exit 1; }
for doc in docs/performance.md README.md; do
    grep -q '^<!-- bench:begin -->$' "$doc" || { echo "publish.sh: no markers in $doc" >&2; exit 1; }
    tmp=$(mktemp)
    awk -v res="$res" '
        /^<!-- bench:begin -->$/ { print; print "Results file: `" res "` (`make bench SAVE=1`).";
                                   while ((getline line < res) > 0) if (line !~ /^hostkit benchmark/) print line;
                                   skip = 1; next }
        /^<!-- bench:end -->$/ { skip = 0 }
        !skip { print }' "$doc" > "$tmp"
    cat "$tmp" > "$doc"
    rm -f "$tmp"
done
echo "published $res"
