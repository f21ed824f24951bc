"""Signals other apps listen to so that derived data (search index, statistics) follows the patent store."""
from django.dispatch import Signal

# Sent after a transaction that created/updated or deleted patent records has committed.
# kwargs: ids (list[str] of Patent.id created or updated), deleted (list[str] of Patent.id removed).
patents_changed = Signal()


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
