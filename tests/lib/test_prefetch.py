"""prefetch.ahead: same items in order, produced in another thread one step ahead, errors and early stops passed on."""
import threading
import time

import pytest

from ipplatform.lib.prefetch import ahead


def test_items_arrive_in_order_from_another_thread():
    producers = []

    def numbers():
        for i in range(50):
            producers.append(threading.current_thread().name)
            yield i

    assert list(ahead(numbers(), name="reader")) == list(range(50))
    assert set(producers) == {"reader"}


def test_the_next_item_is_produced_while_this_one_is_used():
    made = []

    def slow():
        for i in range(3):
            time.sleep(0.05)
            made.append((i, time.monotonic()))
            yield i

    used = []
    for i in ahead(slow(), depth=1):
        used.append((i, time.monotonic()))
        time.sleep(0.2)  # meanwhile the producer makes the next item
    # item 1 was finished before the consumer was done with item 0
    assert made[1][1] < used[0][1] + 0.2
    assert [i for i, _ in used] == [0, 1, 2]


def test_a_producer_error_is_raised_at_its_place():
    def broken():
        yield 1
        yield 2
        raise ValueError("第3行：日期无效")

    got = []
    with pytest.raises(ValueError, match="第3行"):
        for item in ahead(broken()):
            got.append(item)
    assert got == [1, 2]


def test_stopping_early_stops_and_closes_the_producer():
    closed = threading.Event()
    produced = []

    def endless():
        try:
            i = 0
            while True:
                produced.append(i)
                yield i
                i += 1
        finally:
            closed.set()

    stream = ahead(endless(), depth=2)
    assert next(stream) == 0
    stream.close()
    assert closed.is_set()
    assert len(produced) <= 4  # one in use, two queued, one waiting to be put
    assert not [t for t in threading.enumerate() if t.name == "prefetch"]


def test_consumer_error_stops_the_producer():
    closed = threading.Event()

    def items():
        try:
            yield from range(1000)
        finally:
            closed.set()

    with pytest.raises(RuntimeError):
        for i in ahead(items()):
            if i == 3:
                raise RuntimeError("写入失败")
    assert closed.is_set()
