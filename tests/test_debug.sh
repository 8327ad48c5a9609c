#!/bin/bash
# test_debug.sh — debugging a PD as any Linux program (issue 16), with Debian's gdb and gdbserver:
#   - `hostkit run --gdb PD` starts PD under gdbserver with the rest of the system waiting, and
#     prints the command to attach; gdb in batch mode attaches with it, stops at a breakpoint in a
#     handler (protected() of the IPC example's server; notified() of its client, before which the
#     higher-priority server would already have printed had the system not waited), prints a
#     backtrace, detaches, and the run ends as it does without gdb;
#   - `--core-dir DIR` keeps a core file of a PD that faults with nobody to handle it, which gdb
#     reads: its backtrace reaches the faulting function, with file and line;
#   - the monitor's own fault report names function, file and line of each frame (libdw).
# Prints TAP for prove.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
hostkit=${HOSTKIT:-$top/build/hostkit}
build=${BUILD:-$top/build}
tmp=$(mktemp -d)
n=0
failed=0
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    rm -rf "$tmp"
}
trap cleanup EXIT
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
    n=$((n + 1)); failed=1
    echo "not ok $n - $1"
    shift
    for f in "$@"; do sed 's/^/# /' "$f" | head -60; done
}
check() { # check NAME CONDITION-COMMAND [FILES TO SHOW]...
    local name=$1 cond=$2
    shift 2
    if eval "$cond"; then ok "$name"; else not_ok "$name" "$@"; fi
}

if ! command -v gdb >/dev/null || ! command -v gdbserver >/dev/null; then
    echo "1..0 # SKIP gdb or gdbserver missing (scripts/deps.sh installs them)"
    exit 0
fi
echo "1..14"

# Starts `hostkit run --gdb PD SYSTEM` in the background; waits (10 s at most) for gdbserver to
# listen; sets $port and $image from the command hostkit printed.
start_under_gdb() { # start_under_gdb NAME PD SYSTEM
    local name=$1
    "$hostkit" run --gdb "$2" "$3" >"$tmp/$name.out" 2>"$tmp/$name.err" &
    run_pid=$!
    pids+=("$run_pid")
    for _ in $(seq 100); do
        grep -qs "^Listening on port" "$tmp/$name.err" && break
        sleep 0.1
    done
    port=$(sed -n "s/.*-ex 'target remote localhost:\([0-9]*\)'.*/\1/p" "$tmp/$name.err")
    image=$(sed -n "s/.*-ex 'target remote localhost:[0-9]*' \(.*\)$/\1/p" "$tmp/$name.err")
}

# 1. the server under gdb, a breakpoint in protected()
start_under_gdb server server "$top/examples/ipc/ipc.system"
check "--gdb prints the gdb command that attaches" '[ -n "$port" ] && [ -x "$image" ]' "$tmp/server.err"
timeout 60 gdb -nx -batch -ex 'set sysroot /' -ex "target remote localhost:$port" -ex 'break protected' \
    -ex continue -ex bt -ex detach "$image" >"$tmp/gdb1.txt" 2>&1
check "gdb stops at the breakpoint in protected(), called on the server's channel 37" \
    'grep -q "^Breakpoint 1.*, protected (ch=37, msginfo=" "$tmp/gdb1.txt"' "$tmp/gdb1.txt"
check "the backtrace at it reaches libmicrokit's event loop and main" \
    'grep -q "in handler_loop () at src/libmicrokit/main.c" "$tmp/gdb1.txt" && grep -q "in main (" "$tmp/gdb1.txt"' \
    "$tmp/gdb1.txt"
wait "$run_pid"
status=$?
check "detached, the run ends as without gdb (exit 0)" '[ $status = 0 ]' "$tmp/server.err"
check "and prints the example's whole transcript" 'cmp -s "$tmp/server.out" "$top/examples/ipc/expected.txt"' \
    "$tmp/server.out"

# 2. the client (lower priority) under gdb: the server must not run before gdb lets the client go
start_under_gdb client client "$top/examples/ipc/ipc.system"
# An observation window, not a synchronisation: a system that did not wait prints its server's
# init within milliseconds.
sleep 0.5
check "while gdb has not attached, nothing runs (no output)" '[ ! -s "$tmp/client.out" ]' "$tmp/client.out"
timeout 60 gdb -nx -batch -ex 'set sysroot /' -ex "target remote localhost:$port" -ex 'break notified' \
    -ex continue -ex bt -ex 'print ch' -ex detach "$image" >"$tmp/gdb2.txt" 2>&1
check "gdb stops in the client's notified(13)" 'grep -Eq "^Breakpoint 1, notified \(ch=(ch@entry=)?13\) at" "$tmp/gdb2.txt"' \
    "$tmp/gdb2.txt"
check "the breakpoint's file and line are the example's client.c" \
    'grep -Eq "^Breakpoint 1, notified \(.*\) at client.c:[0-9]+$" "$tmp/gdb2.txt"' "$tmp/gdb2.txt"
wait "$run_pid"
status=$?
check "the run ends with exit 0 and the whole transcript" \
    '[ $status = 0 ] && cmp -s "$tmp/client.out" "$top/examples/ipc/expected.txt"' "$tmp/client.out" "$tmp/client.err"

# 3. a core file of a PD that faults with nobody to handle it
crash=(--search-path "$build/tests/systems/crash" "$top/tests/systems/crash/crash.system")
"$hostkit" run --core-dir "$tmp/cores" "${crash[@]}" >"$tmp/crash.out" 2>"$tmp/crash.err"
status=$?
check "--core-dir: the run goes on as before (exit 4: an unhandled fault)" \
    '[ $status = 4 ] && grep -q "^after: back from notify first$" "$tmp/crash.out"' "$tmp/crash.out" "$tmp/crash.err"
if grep -q "/libasan\.so" <(ldd "$build/tests/systems/crash/crasher.elf" 2>/dev/null); then
    # SANITIZE=1: AddressSanitizer's shadow memory would make the core terabytes large (gdb's gcore
    # writes gigabytes in seconds): hostkit writes none, and says so.
    check "under AddressSanitizer no core is written, and stderr says why" \
        'grep -q "^hostkit: no core of PD .crasher.: it runs with AddressSanitizer" "$tmp/crash.err"' "$tmp/crash.err"
    check "and no partial core is left" '[ ! -e "$tmp/cores/crasher.core" ]' "$tmp/crash.err"
else
check "the core file is written and named on stderr" \
    '[ -s "$tmp/cores/crasher.core" ] && grep -q "^hostkit: core of PD .crasher. written to $tmp/cores/crasher.core$" "$tmp/crash.err"' \
    "$tmp/crash.err"
gdb -nx -batch -ex bt "$build/tests/systems/crash/crasher.elf" "$tmp/cores/crasher.core" >"$tmp/core.txt" 2>&1
check "gdb reads the core: its backtrace reaches init() at crasher.c:6 through the signal frame" \
    'grep -q "<signal handler called>" "$tmp/core.txt" && grep -q "init () at tests/systems/crash/crasher.c:6$" "$tmp/core.txt"' \
    "$tmp/core.txt"
fi

# 4. the monitor's report: function, file and line for each frame
check "the fault report's backtrace names function, file and line, and the inlined call" \
    'grep -Eq "^MON\|ERROR:   #0 0x[0-9a-f]+ init\+0x[0-9a-f]+ at tests/systems/crash/crasher.c:6 \(inlined: crash at tests/systems/crash/../common/pd.h:[0-9]+\)$" "$tmp/crash.out" &&
     grep -Eq "^MON\|ERROR:   #1 0x[0-9a-f]+ hostkit_pd_main\+0x[0-9a-f]+ at src/libmicrokit/main.c:[0-9]+$" "$tmp/crash.out"' \
    "$tmp/crash.out"
"$hostkit" run "${crash[@]}" >/dev/null 2>"$tmp/nocore.err"
check "without --core-dir no core is written" '! grep -q "core of PD" "$tmp/nocore.err"' "$tmp/nocore.err"
exit $failed
