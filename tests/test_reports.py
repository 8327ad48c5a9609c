#!/usr/bin/python3
# test_reports.py — the reports of `hostkit run`'s checks, as a CI reads them: --junit FILE is
# valid against the JUnit layout (tests/junit.xsd, checked with xmllint) and has a test case per
# check, failures where the checks failed, the exit status and the whole output; --tap is TAP that
# Perl's TAP::Parser (what prove uses) reads with a good plan and the same passes and failures.
# Prints TAP for prove.
import os, shutil, subprocess, sys, tempfile
import xml.etree.ElementTree as ET

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
hostkit = os.environ.get("HOSTKIT", os.path.join(top, "build", "hostkit"))
checks = []

def check(name, cond, detail=""):
    checks.append((name, bool(cond), detail))

ipc = os.path.join(top, "examples/ipc/ipc.system")
expected = open(os.path.join(top, "examples/ipc/expected.txt")).read()

with tempfile.TemporaryDirectory() as tmp:
    expect = os.path.join(tmp, "expect.txt")
    with open(expect, "w") as f:
        f.write("server: initializing\nre:^client: struct reply: total [0-9]+ cents\nclient: NOT PRINTED\n")
    junit = os.path.join(tmp, "report.xml")
    args = ["--junit", junit, "--expect", expect, "--forbid", "TEST_FAIL", "--forbid", "struct order", "--strict",
            "--until", "TEST_PASS", ipc]
    run = subprocess.run([hostkit, "run"] + args, capture_output=True, text=True, timeout=120)
    check("a forbidden line beats a missing one: exit 6", run.returncode == 6, (run.returncode, run.stderr))

    if shutil.which("xmllint"):
        v = subprocess.run(["xmllint", "--noout", "--schema", os.path.join(top, "tests/junit.xsd"), junit],
                           capture_output=True, text=True)
        check("the JUnit report validates against tests/junit.xsd", v.returncode == 0, v.stderr)
    else:
        check("xmllint is there to validate the JUnit report (libxml2-utils)", False)
    try:
        root = ET.parse(junit).getroot()
    except ET.ParseError as e:
        check("the JUnit report is well-formed XML", False, e)
        root = ET.Element("testsuites")
    suites = root.findall("testsuite") or [ET.Element("testsuite")]
    check("one <testsuite>, named after the system", len(suites) == 1 and suites[0].get("name") == "ipc.system",
          [s.attrib for s in suites])
    s = suites[0]
    cases = s.findall("testcase")
    names = [c.get("name") for c in cases]
    want = ["run ends quiescent or at --until",
            "expect %s:1: server: initializing" % expect,
            "expect %s:2: re:^client: struct reply: total [0-9]+ cents" % expect,
            "expect %s:3: client: NOT PRINTED" % expect,
            "until: TEST_PASS", "forbid: TEST_FAIL", "forbid: struct order",
            "strict: no libmicrokit diagnostic", "strict: no handler past its budget", "strict: no unhandled fault"]
    check("a test case per check, in order", names == want, names)
    failed = [c.get("name") for c in cases if c.find("failure") is not None]
    check("failures exactly where the checks failed",
          failed == ["expect %s:3: client: NOT PRINTED" % expect, "forbid: struct order"], failed)
    check("the counts agree with the cases",
          s.get("tests") == str(len(cases)) and s.get("failures") == str(len(failed)) and
          root.get("tests") == str(len(cases)) and root.get("failures") == str(len(failed)), (s.attrib, root.attrib))
    msg = [c.find("failure").get("message") for c in cases if c.get("name") == "forbid: struct order"]
    check("a failure says which output line",
          msg == ['output line 11 matches: server: struct order 1001: 3 x "widget" at 250 cents, express'], msg)
    props = {p.get("name"): p.get("value") for p in s.iter("property")}
    check("the exit status is a property", props.get("exit_status") == "6" and props.get("system") == ipc, props)
    out = s.find("system-out")
    check("<system-out> is the whole output", out is not None and out.text == expected, out.text if out is not None else None)

    # a passing run: no failures, exit 0
    run = subprocess.run([hostkit, "run", "--junit", junit, "--expect", os.path.join(top, "examples/ipc/expected.txt"),
                          "--strict", ipc], capture_output=True, text=True, timeout=120)
    root = ET.parse(junit).getroot()
    check("a passing run: exit 0, 21 cases, no failure",
          run.returncode == 0 and root.get("tests") == "21" and root.get("failures") == "0", (run.returncode, root.attrib))

    # TAP, read by prove's parser
    run = subprocess.run([hostkit, "run", "--tap"] + args[2:], capture_output=True, text=True, timeout=120)
    parse = subprocess.run(["perl", "-MTAP::Parser", "-e", r'''
        my $p = TAP::Parser->new({tap => do { local $/; <STDIN> }});
        while (my $r = $p->next) {}
        printf "%d %d %d %d %d\n", $p->tests_run, scalar($p->passed), scalar($p->failed), $p->is_good_plan,
            scalar(grep { /^# / } ());
    '''], input=run.stdout, capture_output=True, text=True)
    fields = parse.stdout.split()
    check("TAP::Parser reads --tap: 10 tests, 8 passed, 2 failed, a good plan",
          fields[:4] == ["10", "8", "2", "1"], (fields, parse.stderr, run.stdout[-2000:]))
    lines = run.stdout.splitlines()
    check("the output is TAP comments before the report",
          lines[:2] == ["# server: initializing", "# server: notifying client"] and "TAP version 13" in lines, lines[:3])

print("1..%d" % len(checks))
for i, (name, ok, detail) in enumerate(checks, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
    if not ok:
        print("# " + repr(detail)[:2000])
sys.exit(0 if all(ok for _, ok, _ in checks) else 1)
