"""Cyclic garbage collection between the batches of a long job instead of during them.

CPython starts a collection every 700 new container objects; once a job holds millions of long-lived objects
(an import's table of ids seen, name caches) the full collections among them took a fifth of a 1M-record import.
Inside `between_batches()` automatic collection is off and the job calls the returned function after each
batch: it collects the two young generations, which hold what the batch left behind, and never re-scans the
long-lived objects."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def between_batches() -> Iterator[Callable[[], int]]:
    """Automatic collection off for the block; yields `collect()` (young generations, returns objects freed)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield lambda: gc.collect(1)
    finally:
        if was_enabled:
            gc.enable()
