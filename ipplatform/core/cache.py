"""Cached results of expensive read-only computations (statistics, dashboard fragments), keyed by a namespace
and the arguments that decide the result (scope, year, filters), and invalidated by bumping the namespace's
generation when the records or official figures behind it change.

The cache backend is settings.CACHES["default"]: local memory per process by default, Redis when REDIS_URL is set.
With the local-memory backend the generation lives in a stamp file under DATA_DIR, so a change made by one process
(a job worker's import, another web worker's edit) invalidates every process's copy on this machine; with Redis it
lives in Redis and reaches every node."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)


def _shared_backend() -> bool:
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def _stamp(namespace: str) -> Path:
    return Path(settings.DATA_DIR) / "cache-stamps" / namespace


def generation(namespace: str) -> str:
    """The namespace's current generation (changes on every invalidation)."""
    if _shared_backend():
        gen = cache.get(f"gen:{namespace}")
        if gen is None:
            gen = str(time.time_ns())
            cache.add(f"gen:{namespace}", gen, None)
            gen = cache.get(f"gen:{namespace}", gen)
        return str(gen)
    try:
        st = _stamp(namespace).stat()
        return f"{st.st_mtime_ns}-{st.st_size}"
    except FileNotFoundError:
        return "0"


def _bump(namespace: str) -> None:
    if _shared_backend():
        cache.set(f"gen:{namespace}", str(time.time_ns()), None)
        return
    stamp = _stamp(namespace)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    # a new mtime and a growing size: two bumps within the clock's resolution still differ
    with stamp.open("a") as fh:
        fh.write(".")
    if stamp.stat().st_size > 4096:
        stamp.write_text(".")
    os.utime(stamp, ns=(time.time_ns(), time.time_ns()))


def invalidate(namespace: str) -> None:
    """Forget every cached value of the namespace: now (this transaction's own reads) and again when it commits
    (values other processes computed from the data before the commit)."""
    _bump(namespace)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump(namespace))


def make_key(namespace: str, parts: dict) -> str:
    raw = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return f"{namespace}:{generation(namespace)}:{hashlib.sha1(raw.encode()).hexdigest()}"


_flights: dict[str, list] = {}  # key -> [lock, threads holding or waiting for it]
_flights_guard = threading.Lock()


@contextmanager
def _one_at_a_time(key: str) -> Iterator[None]:
    """Serialise the threads of this process that compute the same key; other keys are not held up."""
    with _flights_guard:
        flight = _flights.setdefault(key, [threading.RLock(), 0])
        flight[1] += 1
    try:
        with flight[0]:
            yield
    finally:
        with _flights_guard:
            flight[1] -= 1
            if not flight[1]:
                _flights.pop(key, None)


def cached(namespace: str, parts: dict, compute: Callable[[], Any], *, timeout: int | None = None) -> Any:
    """compute(), or the value it returned for the same namespace and parts since the last invalidation."""
    key = make_key(namespace, parts)
    value = cache.get(key)
    if value is not None:
        return value
    # After an invalidation (or a restart) every request for a page finds its entry missing at once: under 50
    # concurrent users, seven requests for the uncached work-plan board each computed the same 0.4 s board and took
    # 1.4-3.0 s. One thread per process computes; the others wait for it and read its value. (With Redis
    # each process still computes once: a cross-process lock would make a crashed worker hold up the others.)
    with _one_at_a_time(key):
        value = cache.get(key)
        if value is None:
            value = compute()
            try:
                cache.set(key, value, settings.CACHE_TIMEOUT if timeout is None else timeout)
            except Exception:  # an unpicklable value or an unreachable Redis: serve it uncached
                log.warning("could not cache %s", namespace, exc_info=True)
    return value


def invalidating_receiver(namespace: str, *, when: Callable[[type], bool] | None = None) -> Callable:
    """A signal receiver that invalidates the namespace (for post_save/post_delete, only for senders `when` accepts)."""

    def receiver(sender=None, **kwargs):
        if when is None or (isinstance(sender, type) and when(sender)):
            invalidate(namespace)

    return receiver
