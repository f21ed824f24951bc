"""Who is acting now (request user and IP, or a management command), for the audit trail."""

from __future__ import annotations

import threading
from contextlib import contextmanager

_local = threading.local()


def set_request(user, ip: str) -> None:
    _local.user, _local.ip, _local.system = user, ip, ""


def clear() -> None:
    _local.user, _local.ip, _local.system = None, "", ""


def current_user():
    user = getattr(_local, "user", None)
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def current_ip() -> str:
    return getattr(_local, "ip", "")


def current_system() -> str:
    return getattr(_local, "system", "")


@contextmanager
def acting_as(user=None, *, system: str = "", ip: str = ""):
    """Attribute changes made inside the block to `user` or to a named system process (e.g. a command)."""
    previous = (getattr(_local, "user", None), getattr(_local, "ip", ""), getattr(_local, "system", ""))
    _local.user, _local.ip, _local.system = user, ip, system
    try:
        yield
    finally:
        _local.user, _local.ip, _local.system = previous
