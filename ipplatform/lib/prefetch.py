"""Run an iterator one step ahead in a thread, so that producing the next item overlaps with using this one.

The importer uses it on PostgreSQL: the next batch of rows is parsed and validated while the database server
works on the current one (psycopg waits for the server without holding the GIL). The producer must not touch
the database: Django connections belong to the thread that opened them."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
_END = object()


class _Failed:
    def __init__(self, exc: BaseException):
        self.exc = exc


def ahead(items: Iterable[T], *, depth: int = 1, name: str = "prefetch") -> Iterator[T]:
    """Yield what `items` yields, with up to `depth` items produced in advance by a worker thread.

    An exception in the producer is raised here, at the item where it happened. When the consumer stops early
    (an exception, or closing this generator) the producer stops after its current item and `items` is closed."""
    slots: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(value) -> bool:
        while not stop.is_set():
            try:
                slots.put(value, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        source = iter(items)
        try:
            for item in source:
                if not put(item):
                    return
            put(_END)
        except BaseException as exc:  # handed to the consumer, which raises it
            put(_Failed(exc))
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()

    worker = threading.Thread(target=produce, name=name, daemon=True)
    worker.start()
    try:
        while True:
            item = slots.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.exc
            yield item
    finally:
        stop.set()
        worker.join()
