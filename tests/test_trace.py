#!/usr/bin/python3
# test_trace.py — `hostkit run --trace` on the IPC example, read back with a JSON parser: one track
# per PD, handler slices in order, every ppcall paired with its reply, flows between the right PDs.
# Prints TAP for prove.
import json, os, subprocess, sys, tempfile

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

print("1..%d" % len(checks))
for i, (name, ok, detail) in enumerate(checks, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok:
        print("# " + repr(detail)[:2000])
sys.exit(0 if all(ok for _, ok, _ in checks) else 1)
