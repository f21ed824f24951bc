"""In-platform notifications."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from .models import Notification


def notify(
    *, user, title: str, body: str = "", url: str = "", kind: str = "", dedupe_key: str = ""
) -> Notification | None:
    """Send one notification; with a dedupe_key the same reminder is sent to a user only once."""
    try:
        with transaction.atomic():
            return Notification.objects.create(
                user=user, title=title, body=body, url=url, kind=kind, dedupe_key=dedupe_key
            )
    except IntegrityError:
        return None


def notify_many(*, users, **kwargs) -> int:
    return sum(1 for u in users if notify(user=u, **kwargs) is not None)
