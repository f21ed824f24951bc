"""The last line for text at the boundary: before any platform model row is saved, control characters are removed
from its text fields and lengths are enforced (SQLite does not enforce max_length; PostgreSQL would fail with a
server error). Forms and services check first and say which field; this guard makes the rule hold for every path
(forms, API, services, admin). Bulk imports write through their own validated parsers.

- CharField: control characters removed (tab and newlines become spaces); longer than max_length → InputError.
- TextField: control characters other than tab/newline removed; longer than the model's `text_limits[field]`
  or TEXT_LIMIT → InputError.
"""

from __future__ import annotations

from django.db import models

from .inputs import InputError, strip_controls

TEXT_LIMIT = 100_000
PLATFORM_APPS = {"core", "patents", "search", "analytics", "navigation", "protection", "market", "finance", "workplan"}


def _text_fields(model) -> list:
    cached = model.__dict__.get("_textguard_fields")
    if cached is None:
        cached = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices and not f.primary_key
        ]
        model._textguard_fields = cached
    return cached


def on_pre_save(sender, instance, raw=False, **kwargs):
    if raw or sender._meta.app_label not in PLATFORM_APPS:
        return
    limits = getattr(sender, "text_limits", {})
    for f in _text_fields(sender):
        value = getattr(instance, f.attname, None)
        if not isinstance(value, str) or not value:
            continue
        multiline = isinstance(f, models.TextField)
        limit = limits.get(f.name) or (f.max_length if not multiline else None) or TEXT_LIMIT
        if value.isprintable() and len(value) <= limit:
            continue  # the common case: nothing to clean
        cleaned = strip_controls(value)
        if not multiline:
            cleaned = cleaned.replace("\r\n", " ").replace("\r", " ").replace("\n", " ").replace("\t", " ")
        if len(cleaned) > limit:
            raise InputError(f"{f.verbose_name}过长：最多{limit}字（收到{len(cleaned)}字）", field=f.name)
        if cleaned != value:
            setattr(instance, f.attname, cleaned)


def check(instance) -> None:
    """Apply the guard to an unsaved instance (for callers that validate before a bulk_create)."""
    on_pre_save(type(instance), instance)


__all__ = ["InputError", "on_pre_save", "check", "TEXT_LIMIT"]
