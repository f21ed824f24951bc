"""Detail pages in tabs: the active tab comes from ?tab= (works without JavaScript); static/js/tabs.js switches in place."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    count: int | None = None
    active: bool = False


def select(
    request, tabs: list[tuple[str, str] | tuple[str, str, int | None]], *, default: str | None = None
) -> tuple[list[Tab], str]:
    """The tabs with the one named by ?tab= marked active (else `default` when it is a tab, else the first)."""
    keys = [t[0] for t in tabs]
    wanted = request.GET.get("tab", "")
    active = wanted if wanted in keys else default if default in keys else keys[0]
    out = [Tab(t[0], t[1], t[2] if len(t) > 2 else None, t[0] == active) for t in tabs]
    return out, active


def url(viewname: str, pk, tab: str, anchor: str = "") -> str:
    """A detail page opened on one of its tabs (and at an anchor inside it), as redirects after an action use it."""
    return reverse(viewname, args=[pk]) + f"?tab={tab}" + (f"#{anchor}" if anchor else "")
