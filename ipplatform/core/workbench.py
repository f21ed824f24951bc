"""The workbench every signed-in user lands on: to-do items collected from the apps, recently touched records (from
the audit trail), shortcuts from the user's menu, and for the provincial leadership a one-screen cockpit.

An app contributes to-do items by naming providers on its AppConfig, like nav items:

    todo_providers = ("ipplatform.finance.services.todo_for",)

Each provider is called as `provider(user=user)` and returns items with `url`, `text`, `due` (a date or None) and
`late` (bool); it lists only objects inside the user's scope (the app's own rule).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.utils.module_loading import import_string

from .enums import AuditAction, Role

TODO_LIMIT = 30
RECENT_LIMIT = 10
SHORTCUT_LIMIT = 8


@dataclass(frozen=True)
class Item:
    """What a provider returns (apps may use their own class with the same fields)."""

    url: str
    text: str
    due: dt.date | None = None
    late: bool = False


@dataclass(frozen=True)
class Todo:
    url: str
    text: str
    due: dt.date | None
    late: bool
    source: str  # the app's name in Chinese


def providers():
    """(app config, provider function) of every app, in app order."""
    for config in apps.get_app_configs():
        for path in getattr(config, "todo_providers", ()) or ():
            yield config, import_string(path)


def todo_items(user) -> list[Todo]:
    """Every app's to-do items for the user: late ones first, then by due date (undated last)."""
    out = []
    for config, provider in providers():
        for item in provider(user=user):
            out.append(Todo(item.url, item.text, item.due, bool(item.late), config.verbose_name))
    out.sort(key=lambda t: (not t.late, t.due is None, t.due or dt.date.max))
    return out


def recent_items(user, *, limit: int = RECENT_LIMIT) -> list[dict]:
    """Records the user created, changed or moved along a workflow most recently (from the audit trail), newest first,
    one line per record, with a link where the record still exists and has a page."""
    from .models import AuditEvent

    events = (
        AuditEvent.objects.filter(
            actor_id=user.pk, action__in=[AuditAction.CREATE, AuditAction.UPDATE, AuditAction.TRANSITION]
        )
        .exclude(object_id="")
        .exclude(object_type="core.user")
        .order_by("-seq")
        .only("created_at", "action", "object_type", "object_id", "object_repr")[:200]
    )
    seen, out = set(), []
    for e in events:
        key = (e.object_type, e.object_id)
        if key in seen:
            continue
        seen.add(key)
        out.append(
            {
                "when": e.created_at,
                "action": e.get_action_display(),
                "what": _type_label(e.object_type),
                "repr": e.object_repr,
                "url": _url_of(e.object_type, e.object_id),
            }
        )
        if len(out) >= limit:
            break
    return out


def _type_label(object_type: str) -> str:
    try:
        return apps.get_model(object_type)._meta.verbose_name
    except (LookupError, ValueError):
        return object_type


def _url_of(object_type: str, object_id: str) -> str:
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return ""
    if not hasattr(model, "get_absolute_url"):
        return ""
    obj = model._default_manager.filter(pk=object_id).first()
    return obj.get_absolute_url() if obj is not None else ""


def shortcuts(items: list[dict], *, limit: int = SHORTCUT_LIMIT) -> list[dict]:
    """The first entries of the user's own menu, skipping the public pages every visitor has."""
    from .navigation import all_items

    public = {i.url_name for _, i in all_items() if i.public}
    own = [i for i in items if i["url_name"] not in public]
    return (own or items)[:limit]


def is_leader(user) -> bool:
    return bool(user.is_authenticated and user.role == Role.PROVINCE_LEADER)


def cockpit_sections(user) -> list[dict]:
    """The cockpit's sections, each contributed by an app (`cockpit_providers` on its AppConfig, called as
    `provider(user=user)`; the statistics come from the app that computes them, never a second way)."""
    out = []
    for config in apps.get_app_configs():
        for path in getattr(config, "cockpit_providers", ()) or ():
            section = import_string(path)(user=user)
            if section:
                out.append(section)
    return out
