# test_ringbuf.py — examples/ringbuf driven from outside: after the example's own 100 items the test
# plays the producer itself, writing items into the shared ring (a memory region) and ringing the
# consumer's doorbell (a notification on the producer's channel), then reads the ring back.
import struct

import pytest
from conftest import example

RING_SLOTS, ITEMS = 16, 100
MASK = (1 << 64) - 1


def item_value(seq):
    """ring.h's item_value()."""
    return ((seq * 0x9E3779B97F4A7C15) & MASK) ^ ((seq << 17) & MASK)


def header(system):
    head, tail, waiting, _ = struct.unpack("<4I", system.read("ring", 0, 16))
    return head, tail, waiting


@pytest.fixture
def ring(hostkit_system):
    system = hostkit_system(example("ringbuf"))
    system.wait_line("^consumer: TEST_PASS$")
    assert system.idle() == "idle"
    return system


def test_the_example_leaves_the_ring_empty(ring):
    assert header(ring) == (ITEMS, ITEMS, 0)


def test_the_consumer_takes_items_the_test_puts_in_the_ring(ring):
    head, tail, _ = header(ring)
    for seq in range(ITEMS, ITEMS + 5):
        ring.write("ring", 16 + (tail % RING_SLOTS) * 16, struct.pack("<QQ", seq, item_value(seq)))
        tail += 1
    ring.write("ring", 4, struct.pack("<I", tail))  # publish, as the producer does
    ring.notify("consumer", 1)  # the producer's doorbell
    assert ring.wait_line("^consumer: took ") == "consumer: took items 100..104 (5)"
    assert ring.idle() == "idle"
    assert header(ring) == (ITEMS + 5, ITEMS + 5, 0)


def test_a_region_out_of_range_is_refused(ring):
    from hostkit_pytest import HostkitError
    with pytest.raises(HostkitError, match="do not fit"):
        ring.read("ring", 0x1000 - 8, 16)
