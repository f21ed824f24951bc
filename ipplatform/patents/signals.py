"""Signals other apps listen to so that derived data (search index, statistics) follows the patent store."""

import threading
import weakref
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack, contextmanager

from django.db import transaction
from django.dispatch import Signal

# Sent after a transaction that created/updated or deleted patent records has committed.
# kwargs: ids (list[str] of Patent.id created or updated), deleted (list[str] of Patent.id removed).
patents_changed = Signal()

# Listeners that can move their work to a helper process during a long import register a session factory here;
# the importers enter every registered session around their batches (search: ipplatform.search.indexer).
_bulk_hooks: list[Callable[[], AbstractContextManager]] = []


def register_bulk_hook(factory: Callable[..., AbstractContextManager]) -> None:
    """Enter `factory(large=…)` around every bulk import (patents_changed is then sent once per committed batch)."""
    if factory not in _bulk_hooks:
        _bulk_hooks.append(factory)


@contextmanager
def bulk_session(*, large: bool = False):
    """Around a multi-batch import outside a transaction: lets listeners work in parallel with the importer.

    `large` says the import is known to span many batches (listeners may then start their helpers at once)."""
    with ExitStack() as stack:
        for factory in list(_bulk_hooks):
            stack.enter_context(factory(large=large))
        yield


# ---------------------------------------------------------------- single-record saves (admin, ORM)
# Bulk imports send patents_changed themselves after each committed batch; a Patent saved or deleted one at a
# time (admin, shell, other apps) is collected per transaction and announced once after commit.


class _Changes:
    """Patent ids saved or deleted in the running transaction (insertion-ordered; the latest change of an id wins)."""

    __slots__ = ("ids", "deleted", "__weakref__")

    def __init__(self):
        self.ids: dict[str, None] = {}
        self.deleted: dict[str, None] = {}


# Only the on-commit callback holds the open collection strongly. When the transaction (or the savepoint that
# registered the callback) rolls back, Django drops the callback, the collection goes with it, and the next save
# starts a new one: a rolled-back transaction announces nothing, and no connection internals are read. (A
# savepoint rolled back inside a transaction that commits keeps what it added to an older collection; receivers
# read the stored rows, so the ids are re-read, not trusted.)
_open = threading.local()


def _queue(pk: str, *, deleted: bool) -> None:
    ref = getattr(_open, "changes", None)
    changes = ref() if ref is not None else None
    is_new = changes is None
    if is_new:
        changes = _Changes()
        _open.changes = weakref.ref(changes)
    (changes.deleted if deleted else changes.ids)[pk] = None
    (changes.ids if deleted else changes.deleted).pop(pk, None)
    if is_new:
        transaction.on_commit(lambda: _announce(changes))  # outside a transaction: runs at once


def _announce(changes: _Changes) -> None:
    ref = getattr(_open, "changes", None)
    if ref is not None and ref() is changes:
        _open.changes = None
    from .models import Patent

    patents_changed.send(sender=Patent, ids=list(changes.ids), deleted=list(changes.deleted))


def on_patent_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _queue(instance.pk, deleted=False)


def on_patent_deleted(sender, instance, **kwargs):
    _queue(instance.pk, deleted=True)
