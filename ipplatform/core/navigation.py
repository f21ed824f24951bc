"""Navigation entries contributed by each app (AppConfig.nav_items); only built parts appear."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    description: str = ""
    roles: frozenset = field(default_factory=frozenset)  # empty = every logged-in user
    public: bool = False  # also shown to visitors who are not logged in
    group: str = ""  # section heading on the home page; defaults to the app's verbose name


def items_for(user) -> list[dict]:
    """Nav entries the user may use, in app order, each with its resolved URL and group."""
    out = []
    for config in apps.get_app_configs():
        for item in getattr(config, "nav_items", []) or []:
            if not user.is_authenticated:
                if not item.public:
                    continue
            elif item.roles and not (user.is_superuser or user.role in item.roles):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            out.append({"label": item.label, "url": url, "description": item.description, "group": item.group or config.verbose_name})
    return out
