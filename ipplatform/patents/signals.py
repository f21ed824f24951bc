"""Signals other apps listen to so that derived data (search index, statistics) follows the patent store."""
from collections.abc import Callable
from contextlib import AbstractContextManager, ExitStack, contextmanager

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
import threading  # noqa: E402

from django.db import transaction  # noqa: E402

_pending = threading.local()


def _queue(pk: str, *, deleted: bool) -> None:
    batch = getattr(_pending, "batch", None)
    if batch is None:
        batch = _pending.batch = {"ids": [], "deleted": []}

        def flush():
            data, _pending.batch = _pending.batch, None
            from .models import Patent

            ids = [i for i in dict.fromkeys(data["ids"]) if i not in set(data["deleted"])]
            patents_changed.send(sender=Patent, ids=ids, deleted=list(dict.fromkeys(data["deleted"])))

        transaction.on_commit(flush)
    (batch["deleted"] if deleted else batch["ids"]).append(pk)


def on_patent_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _queue(instance.pk, deleted=False)


def on_patent_deleted(sender, instance, **kwargs):
    _queue(instance.pk, deleted=True)
