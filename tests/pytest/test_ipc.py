# test_ipc.py — examples/ipc driven from outside: the test calls the server as the client does,
# with words it chose, and checks the answers against the protocol (examples/ipc/protocol.h).
import pytest
from conftest import example
from hostkit_pytest import HostkitError

IPC_SUM, IPC_REPLY, IPC_ERROR = 1, 0x100, 0xBAD
MASK = (1 << 64) - 1


def ipc_mix(words):
    """protocol.h's ipc_mix(): FNV-1a over words."""
    h = 0xCBF29CE484222325
    for w in words:
        h = ((h ^ w) * 0x100000001B3) & MASK
    return h


@pytest.fixture
def ipc(hostkit_system):
    system = hostkit_system(example("ipc"))
    assert system.wait_line("^client: TEST_PASS$") == "client: TEST_PASS"
    assert system.idle() == "idle"
    return system


def test_the_client_passes_on_its_own(ipc):
    assert ipc.stop() == 0
    assert ipc.output.splitlines()[-1] == "client: TEST_PASS"


@pytest.mark.parametrize("words", [[], [7], [1, 2, 3], [MASK, 1], list(range(120))])
def test_server_sums_and_mixes_what_the_test_sends(ipc, words):
    reply = ipc.ppcall("server", 37, IPC_SUM, *words)
    assert reply.label == IPC_SUM | IPC_REPLY
    assert reply.mrs == [sum(words) & MASK, ipc_mix(words)]
    line = ipc.wait_line("^server: replying sum ")
    assert line == "server: replying sum %#x mix %#x" % (sum(words) & MASK, ipc_mix(words))


def test_server_rejects_an_unknown_label(ipc):
    reply = ipc.ppcall("server", 37, 99)
    assert (reply.label, reply.mrs) == (IPC_ERROR, [])
    assert ipc.wait_line("bad request") == "server: bad request: unknown label"


def test_a_notification_from_outside_reaches_notified(ipc):
    ipc.notify("server", 37)
    assert ipc.wait_line("unexpected notification") == "server: unexpected notification on channel 37"
    assert ipc.idle() == "idle"
    assert ipc.state("server") == "receiving"


def test_calls_the_system_description_does_not_allow_are_refused(ipc):
    with pytest.raises(HostkitError, match="may not ppcall it"):
        ipc.ppcall("client", 13, IPC_SUM)  # the server's end has no pp="true"
    with pytest.raises(HostkitError, match="server has no channel 5"):
        ipc.notify("server", 5)
    with pytest.raises(HostkitError, match="no PD named 'nobody'"):
        ipc.ppcall("nobody", 1, 1)
    assert ipc.stop() == 0  # refused commands change nothing
