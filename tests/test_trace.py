#!/usr/bin/python3
# test_trace.py — `hostkit run --trace` on the IPC example, read back with a JSON parser: one track
# per PD, handler slices in order, every ppcall paired with its reply, flows between the right PDs;
# on the timer example, read as a JavaScript viewer reads it (Node's JSON.parse: ids are doubles),
# every flow stays apart; a crashed server's and its blocked caller's handlers still get slices, so
# every arrow ends in one. Prints TAP for prove.
import json, os, shutil, subprocess, sys, tempfile

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
hostkit = os.environ.get("HOSTKIT", os.path.join(top, "build", "hostkit"))
checks = []

def check(name, cond, detail=""):
    checks.append((name, bool(cond), detail))

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "ipc.json")
    run = subprocess.run([hostkit, "run", "--trace", path, "--log", os.path.join(top, "examples/ipc/ipc.system")],
                         capture_output=True, text=True, timeout=120)
    check("run exits 0", run.returncode == 0, run.stderr)
    check("output still ends in TEST_PASS", run.stdout.rstrip().endswith("client: TEST_PASS"), run.stdout)
    log = [l for l in run.stderr.splitlines() if l.startswith("hostkit: ")]
    check("--log prints the client's three ppcalls", sum(" ppcall ch 13 -> " in l for l in log) == 3, run.stderr)
    with open(path) as f:
        trace = json.load(f)

ev = trace["traceEvents"]
names = {e["tid"]: e["args"]["name"] for e in ev if e.get("ph") == "M" and e["name"] == "thread_name"}
check("one track per PD", sorted(names.values()) == ["client", "server"], names)
tid = {v: k for k, v in names.items()}
slices = sorted((e for e in ev if e["ph"] == "X"), key=lambda e: e["ts"])
order = [(names[e["tid"]], e["name"]) for e in slices]
check("handler slices in seL4 order",
      order == [("server", "init"), ("client", "init"), ("client", "notified(13)"),
                ("server", "protected(37)"), ("server", "protected(37)"), ("server", "protected(37)")], order)
flows = {}
for e in ev:
    if e["ph"] in "sf":
        flows.setdefault(e["id"], {})[e["ph"]] = e
check("every flow has both ends", all(len(v) == 2 for v in flows.values()), flows)
kinds = {}
for v in flows.values():
    if len(v) == 2:
        s, f = v["s"], v["f"]
        kinds.setdefault(s["name"], []).append((names[s["tid"]], names[f["tid"]], s["ts"] <= f["ts"]))
check("one notify, server to client", kinds.get("notify") == [("server", "client", True)], kinds)
check("three ppcalls, client to server", sorted(kinds.get("ppcall", [])) == [("client", "server", True)] * 3, kinds)
check("three replies, server to client", sorted(kinds.get("reply", [])) == [("server", "client", True)] * 3, kinds)
labels = sorted(v["f"]["args"]["label"] for v in flows.values() if v["s"]["name"] == "ppcall")
check("ppcall labels 1, 2, 3 reach protected()", labels == [1, 2, 3], labels)
# each reply leaves the server after its call arrived and before the next call is made
calls = sorted((v for v in flows.values() if v["s"]["name"] == "ppcall"), key=lambda v: v["s"]["ts"])
replies = sorted((v for v in flows.values() if v["s"]["name"] == "reply"), key=lambda v: v["s"]["ts"])
check("every ppcall is answered before the next is made",
      len(calls) == len(replies) == 3 and all(c["f"]["ts"] <= r["s"]["ts"] <= r["f"]["ts"] for c, r in zip(calls, replies))
      and all(replies[i]["f"]["ts"] <= calls[i + 1]["s"]["ts"] for i in range(2)), (calls, replies))

# ---- what a JavaScript viewer sees: ids as doubles (Node's JSON.parse), every flow both ends ----
build = os.environ.get("BUILD", os.path.join(top, "build"))

def trace_of(args, tmp, name):
    path = os.path.join(tmp, name + ".json")
    run = subprocess.run([hostkit, "run", "--trace", path] + args, capture_output=True, text=True, timeout=120)
    with open(path) as f:
        text = f.read()
    return run, text

node = shutil.which("node") or shutil.which("nodejs")
JS = r"""
const t = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const flows = {};
for (const e of t.traceEvents)
  if (e.ph === 's' || e.ph === 'f') (flows[e.id] = flows[e.id] || []).push(e.ph);
const ids = t.traceEvents.filter(e => e.ph === 's').length;
console.log(JSON.stringify({starts: ids, distinct: Object.keys(flows).length,
  paired: Object.values(flows).every(v => v.length === 2 && v.includes('s') && v.includes('f')),
  safe: t.traceEvents.filter(e => 'id' in e).every(e => Number.isSafeInteger(e.id))}));
"""

def as_javascript(text):
    """The trace as a JavaScript viewer reads it: Node's JSON.parse, or Python's parser with every
    integer made a double, as JSON.parse makes it, where Node is missing."""
    if node:
        r = subprocess.run([node, "-e", JS], input=text, capture_output=True, text=True, timeout=60)
        return json.loads(r.stdout)
    t = json.loads(text, parse_int=float)
    flows = {}
    for e in t["traceEvents"]:
        if e["ph"] in "sf":
            flows.setdefault(e["id"], []).append(e["ph"])
    return {"starts": sum(e["ph"] == "s" for e in t["traceEvents"]), "distinct": len(flows),
            "paired": all(sorted(v) == ["f", "s"] for v in flows.values()),
            "safe": all(e["id"] < 2 ** 53 for e in t["traceEvents"] if "id" in e)}

with tempfile.TemporaryDirectory() as tmp:
    run, text = trace_of([os.path.join(top, "examples/timer/timer.system")], tmp, "timer")
    check("timer example runs", run.returncode == 0, run.stderr)
    js = as_javascript(text)
    check("timer: every flow id is a safe integer for JavaScript", js["safe"], js)
    check("timer: a JavaScript viewer keeps every flow apart (%d starts)" % js["starts"],
          js["starts"] >= 10 and js["distinct"] == js["starts"] and js["paired"], js)

    # a server crashes in protected(): its slice and its caller's init never end
    sysdir = os.path.join(top, "tests/systems/deadserver")
    run, text = trace_of(["--search-path", os.path.join(build, "tests/systems/deadserver"),
                          os.path.join(sysdir, "deadserver.system")], tmp, "deadserver")
    check("deadserver ends stuck (exit 3)", run.returncode == 3, run.stderr)
    t = json.loads(text)
    names = {e["tid"]: e["args"]["name"] for e in t["traceEvents"] if e.get("ph") == "M" and e["name"] == "thread_name"}
    slices = [e for e in t["traceEvents"] if e["ph"] == "X"]
    unfinished = sorted((names[e["tid"]], e["name"]) for e in slices if e["args"].get("unfinished"))
    check("unfinished handlers get slices: client's init, server's protected()",
          unfinished == [("client", "init (unfinished)"), ("server", "protected(2) (unfinished)")], unfinished)
    fault = [e for e in t["traceEvents"] if e.get("cat") == "fault"]
    srv = [e for e in slices if names[e["tid"]] == "server" and e["args"].get("unfinished")]
    check("the faulted handler's slice ends at the fault",
          len(fault) == 1 and len(srv) == 1 and abs(srv[0]["ts"] + srv[0]["dur"] - fault[0]["ts"]) < 0.01, (fault, srv))

    def inside(e):
        return any(x["tid"] == e["tid"] and x["ts"] <= e["ts"] <= x["ts"] + x["dur"] for x in slices)
    ends = [e for e in t["traceEvents"] if e["ph"] == "f"]
    check("every arrow ends inside a slice of its track", ends and all(inside(e) for e in ends), ends)
    js = as_javascript(text)
    check("deadserver: every flow has both ends", js["paired"] and js["distinct"] == js["starts"], js)

print("1..%d" % len(checks))
for i, (name, ok, detail) in enumerate(checks, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok:
        print("# " + repr(detail)[:2000])
sys.exit(0 if all(ok for _, ok, _ in checks) else 1)
