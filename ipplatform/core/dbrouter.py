"""Database router for a PostgreSQL streaming replica (DATABASE_REPLICA_URL).

Only reads that are marked as replica-safe go there: statistics, search facets and reports run their queries
inside `with replica_reads():`. Everything else, and every read after this request or job has written
anything (read-your-writes: the replica may lag), goes to the primary. With no replica configured the
router does nothing."""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

from django.conf import settings
from django.db.models.signals import post_delete, post_save

_replica_ok: contextvars.ContextVar[bool] = contextvars.ContextVar("replica_ok", default=False)
_has_written: contextvars.ContextVar[bool] = contextvars.ContextVar("has_written", default=False)

REPLICA = "replica"


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    """Reads inside the block may be served by the replica (unless this context has already written)."""
    token = _replica_ok.set(True)
    try:
        yield
    finally:
        _replica_ok.reset(token)


def mark_written() -> None:
    """Record that this request/job wrote: its later reads go to the primary."""
    _has_written.set(True)


def reset() -> None:
    """Start of a request or job: nothing written yet."""
    _has_written.set(False)


def read_alias() -> str:
    """The alias reads would use right now."""
    if _replica_ok.get() and not _has_written.get() and replica_configured():
        return REPLICA
    return "default"


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return read_alias() if replica_configured() else None

    def db_for_write(self, model, **hints):
        mark_written()
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def _written(sender, **kwargs):
    mark_written()


post_save.connect(_written, dispatch_uid="dbrouter_written_save")
post_delete.connect(_written, dispatch_uid="dbrouter_written_delete")
