# test_control.py — the control channel's other ways in and answers: a Unix socket hostkit listens
# on (--control PATH), IRQs by number and by PD:ID and the bare lines --irq-stdin takes, a stuck
# system's "idle", and calls into a PD that has ended.
import os
import socket
import subprocess
import tempfile

import pytest
from conftest import TOP, example
from hostkit_pytest import HostkitError

BUILD = os.environ.get("BUILD", os.path.join(TOP, "build"))


def test_irqs_from_the_test_reach_the_driver(hostkit_system):
    irq = hostkit_system(example("irq"))
    irq.wait_line("^client: init$")
    irq.irq(33)
    assert irq.wait_line("^client: event ") == "client: event 1 from the driver"
    irq.irq("driver:6")
    assert irq.wait_line("alarm") == "driver: alarm IRQ (alarm 1), acknowledged when this handler returns"
    irq.command("33")  # a bare line, as --irq-stdin takes them
    assert irq.wait_line("^client: event ") == "client: event 2 from the driver"
    with pytest.raises(HostkitError, match="no <irq> in the system matches it"):
        irq.irq(35)
    assert irq.idle() == "idle"
    assert irq.stop() == 0


def test_a_stuck_system_says_so_and_a_dead_pd_takes_no_call(hostkit_system):
    dead = hostkit_system(os.path.join(TOP, "tests/systems/deadserver/deadserver.system"),
                          search_path=[os.path.join(BUILD, "tests/systems/deadserver")])
    assert dead.idle() == "stuck"  # the client waits for ever for the crashed server
    assert dead.state("client") == "ppcall"
    assert dead.state("server") in ("faulted", "dead")
    with pytest.raises(HostkitError, match="server cannot take a call"):
        dead.ppcall("server", 2, 1)
    assert dead.stop() == 4  # quit: a PD faulted with nobody to handle it


def test_a_unix_socket_hostkit_listens_on():
    hostkit = os.environ.get("HOSTKIT", os.path.join(BUILD, "hostkit"))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "control.sock")
        proc = subprocess.Popen([hostkit, "run", "--control", path, example("ipc")], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        try:
            s = socket.socket(socket.AF_UNIX)
            for _ in range(500):  # until hostkit listens (it binds before the PDs start)
                try:
                    s.connect(path)
                    break
                except (FileNotFoundError, ConnectionRefusedError):
                    proc.poll()
                    assert proc.returncode is None, proc.stderr.read()
                    subprocess.run(["sleep", "0.01"])
            f = s.makefile("rw")
            for cmd, want in [("wait 10 TEST_PASS", "ok client: TEST_PASS"), ("frobnicate", None), ("quit", "ok")]:
                f.write(cmd + "\n")
                f.flush()
                got = f.readline().rstrip("\n")
                if want:
                    assert got == want
                else:
                    assert got.startswith("error ") and "not a command either" in got
            out, err = proc.communicate(timeout=30)
        finally:
            proc.kill()
        assert proc.returncode == 0, err
        assert out.splitlines()[-1] == "client: TEST_PASS"
        assert not os.path.exists(path)  # removed at the end
