"""prefetch.ahead: same items in order, produced in another thread one step ahead, errors and early stops passed on."""

import threading

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
    made = {i: threading.Event() for i in range(3)}

    def items():
        for i in range(3):
            yield i
            made[i].set()  # runs once the consumer's slot for item i is filled, on the way to item i + 1

    used = []
    for i in ahead(items(), depth=1):
        if i < 2:
            # without the worker thread item i + 1 would be made only when this loop asks for it
            assert made[i].wait(timeout=10), f"item {i + 1} was not being produced while item {i} was in use"
        used.append(i)
    assert used == [0, 1, 2]


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
