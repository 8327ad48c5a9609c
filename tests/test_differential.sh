#!/bin/bash
# test_differential.sh — the differential suite (tests/differential/): every case, built for hostkit
# and run with `hostkit run`, must print exactly what seL4 printed for it (NAME/sel4.txt, recorded
# on seL4 in QEMU by tests/differential/record.sh, identical on qemu_virt_aarch64 and
# qemu_virt_riscv64; a case with a file NAME/boards was recorded on those it lists and runs with
# --board the first).
#
# One TAP line per case. A case is copied to $BUILD/differential/NAME/ and built there with
# tests/differential/case.mk (so the plain and the SANITIZE=1 builds never share images), then run
# with `$HOSTKIT run` (no --timeout, so a stuck system ends at once; a run that never ends is
# stopped after DIFF_TIMEOUT seconds, default 60, by timeout(1)); its stdout is compared with
# sel4.txt line by line, and on a difference the diff (sel4.txt first) follows as comments. Exit
# statuses are not compared: seL4 has none (a system that faults or is stuck prints what it
# prints, and that is compared).
#
# Two kinds of case are marked `# TODO reason` (prove does not fail on them, and reports them):
#   - NAME/sel4-difference.txt: seL4 as built here (Microkit 2.0.1) differs from the Microkit
#     release hostkit follows. Its first line is `reason: …`; the lines after it, if any, are what
#     the newer release gives, and are compared instead of sel4.txt.
#   - a line `NAME reason` in tests/differential/hostkit-todo.txt: hostkit is known to differ from
#     seL4 there and is to be fixed; the line goes when it is.
# HOSTKIT and BUILD come from tests/tests.mk (make test, make test SANITIZE=1).
set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
HOSTKIT=${HOSTKIT:-$BUILD/hostkit}
DIFF_DIR=$TOP/tests/differential
WORK=$BUILD/differential
TODO_LIST=$DIFF_DIR/hostkit-todo.txt
unset MICROKIT_SDK MAKEFLAGS MAKELEVEL

cases=$(cd "$DIFF_DIR" && for d in */; do [ -f "$d${d%/}.system" ] && echo "${d%/}"; done)
count=$(echo "$cases" | wc -w)
if [ ! -x "$HOSTKIT" ]; then
    echo "1..0 # SKIP no hostkit at $HOSTKIT (run make first)"
    exit 0
fi
echo "1..$count"

n=0
for name in $cases; do
    n=$((n + 1))
    src=$DIFF_DIR/$name
    dir=$WORK/$name
    todo=
    if [ -f "$src/sel4-difference.txt" ]; then
        todo=$(head -1 "$src/sel4-difference.txt" | sed 's/^reason: *//')
    elif [ -f "$TODO_LIST" ]; then
        todo=$(sed -n "s/^$name[[:space:]]\{1,\}//p" "$TODO_LIST" | head -1)
    fi
    directive=${todo:+ # TODO $todo}
    expected=$src/sel4.txt label=sel4.txt what="as on seL4"
    if [ -f "$src/sel4-difference.txt" ] && [ "$(wc -l <"$src/sel4-difference.txt")" -gt 1 ]; then
        expected=$dir.expected label="sel4-difference.txt (the newer release)" what="as the newer release gives"
        mkdir -p "$WORK"
        tail -n +2 "$src/sel4-difference.txt" >"$expected"
    fi
    if [ ! -f "$src/sel4.txt" ]; then
        echo "not ok $n - $name: no sel4.txt (record it: tests/differential/record.sh $name)$directive"
        continue
    fi

    # Build a fresh copy: sources, headers and the system description.
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$src"/*.system "$dir/"
    cp "$src"/*.c "$dir/" 2>/dev/null
    cp "$src"/*.h "$dir/" 2>/dev/null
    if ! make --no-print-directory -C "$dir" -f "$DIFF_DIR/case.mk" BUILD="$BUILD" HOSTKIT="$HOSTKIT" \
        >"$dir/build.log" 2>&1; then
        echo "not ok $n - $name: does not build for hostkit$directive"
        sed 's/^/# /' "$dir/build.log" | tail -30
        continue
    fi

    # A case of one architecture (NAME/boards) runs on the first board it names.
    board_opt=()
    [ -f "$src/boards" ] && board_opt=(--board "$(head -1 "$src/boards")")
    timeout -k 5 "${DIFF_TIMEOUT:-60}" "$HOSTKIT" run "${board_opt[@]}" "$dir/$name.system" >"$dir/hostkit.raw" 2>"$dir/hostkit.err"
    status=$?
    # (on a board whose console is a UART, lines end CR LF: read as LF, as sel4-boot.sh reads QEMU's)
    sed -E -e 's/\r$//' -f "$TOP/scripts/mask-kernel-ids.sed" "$dir/hostkit.raw" >"$dir/hostkit.txt"
    if diff -u --label "$label" --label "hostkit run (exit $status)" "$expected" "$dir/hostkit.txt" \
        >"$dir/diff.txt"; then
        echo "ok $n - $name: $(wc -l <"$expected") lines $what$directive"
    else
        echo "not ok $n - $name: hostkit prints otherwise than $label$directive"
        sed 's/^/# /' "$dir/diff.txt"
        if [ -s "$dir/hostkit.err" ]; then
            echo "# hostkit's stderr:"
            head -20 "$dir/hostkit.err" | sed 's/^/#   /'
        fi
    fi
done
