"""Signals other apps listen to so that derived data (search index, statistics) follows the patent store."""
from django.dispatch import Signal

# Sent after a transaction that created/updated or deleted patent records has committed.
# kwargs: ids (list[str] of Patent.id created or updated), deleted (list[str] of Patent.id removed).
patents_changed = Signal()
