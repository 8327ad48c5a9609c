#!/usr/bin/python3
# test_pytest_plugin.py — runs the pytest tests of tests/pytest/ (examples/ipc and examples/ringbuf
# driven through the control channel by the hostkit_pytest plugin, python/hostkit_pytest.py) with
# Debian's pytest, and reports each as a TAP line for prove.
import os, subprocess, sys, tempfile
import xml.etree.ElementTree as ET

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
hostkit = os.environ.get("HOSTKIT", os.path.join(top, "build", "hostkit"))
try:
    import pytest  # noqa: F401
except ImportError:
    print("1..0 # SKIP Debian's python3-pytest is not installed (scripts/deps.sh installs it)")
    sys.exit(0)

with tempfile.TemporaryDirectory() as tmp:
    report = os.path.join(tmp, "pytest.xml")
    env = dict(os.environ, HOSTKIT=hostkit, PYTHONPATH=os.path.join(top, "python"))
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--junitxml", report,
                          os.path.join(top, "tests/pytest")], capture_output=True, text=True, env=env, cwd=tmp,
                         timeout=600)
    cases = ET.parse(report).getroot().iter("testcase") if os.path.exists(report) else []
    results = []
    for c in cases:
        bad = c.find("failure") if c.find("failure") is not None else c.find("error")
        skip = c.find("skipped")
        results.append(("%s::%s" % (c.get("classname"), c.get("name")), bad, skip))

print("1..%d" % max(len(results), 1))
if not results:
    print("not ok 1 - pytest ran no test (exit %d)" % run.returncode)
    for line in (run.stdout + run.stderr).splitlines()[-40:]:
        print("# " + line)
    sys.exit(1)
for i, (name, bad, skip) in enumerate(results, 1):
    if skip is not None:
        print("ok %d - %s # SKIP %s" % (i, name, skip.get("message", "")))
    elif bad is not None:
        print("not ok %d - %s" % (i, name))
        for line in ((bad.get("message") or "") + "\n" + (bad.text or "")).splitlines()[-40:]:
            print("# " + line)
    else:
        print("ok %d - %s" % (i, name))
sys.exit(0 if run.returncode == 0 else 1)
