"""hostkit_pytest — a pytest plugin that runs a Microkit system on hostkit and drives it from a test.

Load it with ``pytest -p hostkit_pytest`` (with this file's directory on PYTHONPATH; ``make install``
puts it in PREFIX/share/hostkit/python) or ``pytest_plugins = ["hostkit_pytest"]`` in a conftest.py.

The ``hostkit_system`` fixture starts systems::

    def test_server_adds(hostkit_system):
        system = hostkit_system("examples/ipc/ipc.system")
        system.wait_line("client: TEST_PASS")
        reply = system.ppcall("server", 37, 1, 2, 3)     # PD, its channel, label, message registers
        assert reply.label == 0x101 and reply.mrs[0] == 5

Each ``System`` is one ``hostkit run --control FD`` process; its methods are the control channel's
commands (docs/testing.md): ``irq``, ``notify``, ``ppcall``, ``read``, ``write``, ``wait_line``,
``idle``, ``state``, and ``stop`` (the run's exit status). A command the monitor refuses raises
``HostkitError`` with its message. Every system a test started is stopped when the test ends.

Options: ``--hostkit PATH`` (or $HOSTKIT; default: ``hostkit`` on PATH), ``--hostkit-timeout
SECONDS`` (the most a command may wait, 60 by default).
"""
import os
import shutil
import socket
import subprocess
import tempfile

import pytest

__all__ = ["HostkitError", "Reply", "System"]


class HostkitError(Exception):
    """The monitor answered a command with an error, or the run is over."""


class Reply:
    """The reply to a ppcall: its label and message registers."""

    def __init__(self, label, mrs):
        self.label = label
        self.mrs = mrs

    def __repr__(self):
        return "Reply(label=%#x, mrs=%r)" % (self.label, self.mrs)


class System:
    """A running system: ``hostkit run --control FD [ARGS...] SYSTEM``."""

    def __init__(self, system, hostkit="hostkit", args=(), search_path=(), timeout=60.0):
        self.system = system
        self.timeout = timeout
        ours, theirs = socket.socketpair()
        cmd = [hostkit, "run", "--control", str(theirs.fileno())]
        for d in search_path:
            cmd += ["--search-path", str(d)]
        cmd += [str(a) for a in args] + [str(system)]
        self._out = tempfile.TemporaryFile()
        self._err = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(cmd, stdout=self._out, stderr=self._err, stdin=subprocess.DEVNULL,
                                     pass_fds=[theirs.fileno()])
        theirs.close()
        ours.settimeout(timeout)
        self._sock = ours
        self._file = ours.makefile("rwb")
        self.returncode = None

    # ---- the protocol ----
    def command(self, line):
        """Sends one command line; returns the reply's words after "ok" (a string)."""
        if self._file is None:
            raise HostkitError("the system has stopped")
        try:
            self._file.write(line.encode() + b"\n")
            self._file.flush()
            answer = self._file.readline()
        except (OSError, socket.timeout) as e:
            raise HostkitError("%s: no answer from hostkit (%s)%s" % (line, e, self._tail())) from e
        if not answer:
            raise HostkitError("%s: hostkit ended the run%s" % (line, self._tail()))
        answer = answer.decode(errors="replace").rstrip("\n")
        if answer == "ok" or answer.startswith("ok "):
            return answer[3:]
        raise HostkitError("%s: %s" % (line, answer[6:] if answer.startswith("error ") else answer))

    def irq(self, irq, at=None):
        """Raises an IRQ: its number, or "PD:ID"; at SECONDS after the start if given."""
        self.command("irq %s%s" % (irq, "" if at is None else "@%g" % at))

    def notify(self, pd, channel):
        """PD is notified on its channel, as by the PD at the other end."""
        self.command("notify %s %d" % (pd, channel))

    def ppcall(self, pd, channel, label, *mrs):
        """A ppcall into PD on its channel (whose other end has pp="true"), with message registers
        MRS; returns the Reply once protected() returned."""
        words = self.command("ppcall %s %d %d%s" % (pd, channel, label, "".join(" %d" % m for m in mrs))).split()
        return Reply(int(words[0]), [int(w) for w in words[2:2 + int(words[1])]])

    def read(self, region, offset, length):
        """LENGTH bytes of memory region REGION from OFFSET."""
        return bytes.fromhex(self.command("read %s %d %d" % (region, offset, length)))

    def write(self, region, offset, data):
        """Writes the bytes DATA into memory region REGION at OFFSET."""
        self.command("write %s %d %s" % (region, offset, bytes(data).hex()))

    def wait_line(self, regex, timeout=10.0):
        """The next output line (after the last one a wait returned) that REGEX (POSIX extended)
        matches; HostkitError if none comes within TIMEOUT seconds."""
        return self.command("wait %g %s" % (timeout, regex))

    def idle(self):
        """Waits until nothing can run and no IRQ is due: "idle", or "stuck" (a PD blocked for ever
        in a ppcall)."""
        return self.command("idle")

    def state(self, pd):
        """init, runnable, running, receiving, ppcall, faulted, stopped or dead."""
        return self.command("state %s" % pd)

    # ---- the run ----
    @property
    def output(self):
        """Everything the system printed so far."""
        self._out.seek(0)
        return self._out.read().decode(errors="replace")

    @property
    def stderr(self):
        self._err.seek(0)
        return self._err.read().decode(errors="replace")

    def _tail(self):
        err = self.stderr.strip()
        return ("; hostkit said: " + err[-1000:]) if err else ""

    def stop(self):
        """Ends the run (the control channel's quit) and returns hostkit's exit status."""
        if self.returncode is not None:
            return self.returncode
        if self._file is not None:
            try:
                self.command("quit")
            except HostkitError:
                pass  # the run had ended already
            self._file.close()
            self._sock.close()
            self._file = None
        try:
            self.returncode = self.proc.wait(self.timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.returncode = self.proc.wait()
        return self.returncode


def pytest_addoption(parser):
    group = parser.getgroup("hostkit")
    group.addoption("--hostkit", default=None, help="the hostkit program (default: $HOSTKIT, or hostkit on PATH)")
    group.addoption("--hostkit-timeout", type=float, default=60.0, help="seconds a command may wait at most")


@pytest.fixture
def hostkit_system(request):
    """Starts systems: hostkit_system(SYSTEM, *args, search_path=()) -> System, stopped when the
    test ends."""
    hostkit = request.config.getoption("--hostkit") or os.environ.get("HOSTKIT") or shutil.which("hostkit")
    if not hostkit:
        pytest.fail("hostkit not found: give --hostkit PATH or set HOSTKIT")
    timeout = request.config.getoption("--hostkit-timeout")
    started = []

    def start(system, *args, search_path=()):
        s = System(system, hostkit, args, search_path, timeout)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()
