"""The menu: entries contributed by each app (AppConfig.nav_items), grouped by function, shown only where the view
itself would let the user in.

Who may open a page is decided once, by the view: a view declares its check with `@gated(Gate(...))` (or
`gated_roles(roles, message)`), which refuses everyone else with a Chinese 403, and the menu asks the same `Gate`
(`view_allows(user, url_name)`). A NavItem's `roles` only narrows whom the entry is meant for (a scoped list that
an outsider would open empty); it can never show an entry the view refuses. Sub-tabs inside an app ask the same
`view_allows` through the `{% if_allowed %}` filter (`core/templatetags/nav.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, wraps

from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, Resolver404, get_script_prefix, get_urlconf, resolve, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

# The functional groups of the menu, in order; an app's entries name one of them (or their app's verbose name maps
# to one in APP_GROUP). Each group has a short key used by the collapsible menu.
GROUPS: tuple[tuple[str, str], ...] = (
    ("info", "信息服务"),
    ("market", "展示交易"),
    ("protection", "维权援助"),
    ("funding", "项目与资金"),
    ("bodies", "企业与机构"),
    ("training", "培训宣传"),
    ("supervision", "督导"),
    ("system", "系统管理"),
)
GROUP_NAMES = tuple(name for _, name in GROUPS)

# The group of each app's entries (by app label) where the entry does not name one itself.
APP_GROUP = {
    "core": "系统管理",
    "patents": "信息服务",
    "search": "信息服务",
    "analytics": "信息服务",
    "navigation": "信息服务",
    "portal": "信息服务",
    "market": "展示交易",
    "protection": "维权援助",
    "finance": "项目与资金",
    "programmes": "项目与资金",
    "orgs": "企业与机构",
    "agencies": "企业与机构",
    "experts": "企业与机构",
    "credit": "企业与机构",
    "census": "企业与机构",
    "training": "培训宣传",
    "publicity": "培训宣传",
    "workplan": "督导",
}


@dataclass(frozen=True)
class Gate:
    """Who may open a view: `test(user)` for a signed-in user (superusers included only where the test says so)."""

    test: Callable
    message: str = "您的角色无权使用此功能"

    def allows(self, user) -> bool:
        if user is None or not user.is_authenticated:
            return False
        try:
            return bool(self.test(user))
        except PermissionDenied:  # a test built on a check that refuses by raising
            return False

    def require(self, user) -> None:
        if not self.allows(user):
            raise PermissionDenied(self.message)


def roles_gate(roles, message: str = "您的角色无权使用此功能") -> Gate:
    """A gate open to superusers and to the holders of `roles` (what `core.scopes.require_roles` decides)."""
    roles = frozenset(roles)
    return Gate(lambda user: user.is_superuser or user.role in roles, message)


def gated(gate: Gate):
    """Decorate a view: visitors who are not signed in go to the login page, users the gate refuses get a 403; the
    gate is kept on the view (`view.gate`) so that the menu asks the same check."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            gate.require(request.user)
            return view(request, *args, **kwargs)

        wrapper.gate = gate
        return wrapper

    return decorate


def gated_roles(roles, message: str = "您的角色无权使用此功能"):
    """`gated(roles_gate(roles, message))`."""
    return gated(roles_gate(roles, message))


def gate_of(view) -> Gate | None:
    """The gate a view declared (looking through the decorators that wrap it), or None."""
    seen = 0
    while view is not None and seen < 20:
        gate = getattr(view, "gate", None)
        if isinstance(gate, Gate):
            return gate
        view = getattr(view, "__wrapped__", None)
        seen += 1
    return None


def view_allows(user, url_name: str, *, args=None, kwargs=None) -> bool:
    """True when the view behind `url_name` would let `user` in: its declared gate, the admin site's staff check;
    views without a gate are open to every signed-in user (and to visitors where the entry is public)."""
    return _route_allows(user, _route(url_name, tuple(args or ()), tuple(sorted((kwargs or {}).items()))))


def _route_allows(user, route) -> bool:
    if route is None:
        return False
    _url, app_name, gate = route
    if app_name == "admin":
        return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)
    if gate is None:
        return True
    return gate.allows(user)


def _route(url_name: str, args: tuple = (), kwargs: tuple = ()) -> tuple[str, str, Gate | None] | None:
    """(URL, app name, gate) of a named route, None when it does not resolve. Resolving walks every URL pattern
    (about 2 ms for the menu's 75 entries on each page); the URL configuration does not change while the process
    runs, so the answer is kept per URL configuration and script prefix."""
    return _route_cached(*_route_context(), url_name, args, kwargs)


def _route_context() -> tuple[str, str]:
    """The URL configuration and script prefix routes are resolved in (thread-local lookups through asgiref)."""
    return get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()


@lru_cache(maxsize=4096)
def _route_cached(urlconf, prefix: str, url_name: str, args: tuple, kwargs: tuple):
    try:
        url = reverse(url_name, urlconf=urlconf, args=args or None, kwargs=dict(kwargs) or None)
        match = resolve(url[len(prefix) - 1 :] if prefix != "/" and url.startswith(prefix) else url, urlconf=urlconf)
    except (NoReverseMatch, Resolver404):
        return None
    return url, match.app_name, gate_of(match.func)


@receiver(setting_changed)
def _forget_routes(*, setting, **_):
    if setting == "ROOT_URLCONF":
        _route_cached.cache_clear()


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    description: str = ""
    roles: frozenset = field(default_factory=frozenset)  # whom the entry is meant for (empty: everyone the view admits)
    public: bool = False  # also shown to visitors who are not signed in (the view must then be open to them)
    group: str = ""  # one of GROUP_NAMES; defaults to the app's group in APP_GROUP


def group_of(item: NavItem, config) -> str:
    if item.group in GROUP_NAMES:
        return item.group
    return APP_GROUP.get(config.label, "信息服务")


def all_items():
    """(app config, NavItem) of every app, in app order."""
    for config in apps.get_app_configs():
        for item in getattr(config, "nav_items", []) or []:
            yield config, item


def shown(user, item: NavItem, route=None) -> bool:
    """The menu's decision for one entry: meant for the user, and the view admits them (`route`: the entry's
    `_route`, when the caller has it already)."""
    if user is None or not user.is_authenticated:
        return item.public
    if item.roles and not (user.is_superuser or user.role in item.roles):
        return False
    return _route_allows(user, route or _route(item.url_name))


def items_for(user) -> list[dict]:
    """Nav entries the user may open, in app order, each with its resolved URL and group."""
    # The URL configuration and script prefix are thread-local lookups (about 4 µs each through asgiref); asked
    # once here rather than twice per entry, they took the staff menu from 1.1 to 0.1 ms per page.
    urlconf, prefix = _route_context()
    out = []
    for config, item in all_items():
        route = _route_cached(urlconf, prefix, item.url_name, (), ())
        if route is None or not shown(user, item, route):
            continue
        url = route[0]
        out.append(
            {
                "label": item.label,
                "url": url,
                "url_name": item.url_name,
                "description": item.description,
                "group": group_of(item, config),
            }
        )
    return out


def grouped(items: list[dict], path: str = "") -> list[dict]:
    """The entries by functional group, in GROUPS order: {key, name, items, current}; the entry whose URL is the
    longest prefix of `path` is marked current (a detail page highlights its list)."""
    best = None
    for item in items:
        url = item["url"]
        if url != "/" and path.startswith(url) and (best is None or len(url) > len(best["url"])):
            best = item
    out = []
    for key, name in GROUPS:
        members = [dict(i, current=i is best) for i in items if i["group"] == name]
        if members:
            out.append({"key": key, "name": name, "items": members, "current": any(m["current"] for m in members)})
    return out


def breadcrumbs(items: list[dict], path: str) -> list[dict]:
    """首页 › group › entry for the page at `path` (the entry is a link unless it is the page itself)."""
    for group in grouped(items, path):
        for item in group["items"]:
            if item["current"]:
                trail = [{"label": group["name"], "url": ""}]
                trail.append({"label": item["label"], "url": "" if item["url"] == path else item["url"]})
                return trail
    return []


_CURRENT = ' class="active" aria-current="page"'


def sidebar_html(menu: list[dict]) -> str:
    """The side menu's markup for grouped() entries: a <details> per group (open when it holds the current page, or
    when there are at most two groups), a link per entry, the current one marked. Built here rather than in the
    template: a staff menu has about 70 entries, and the template loop cost 0.9 of the 2.0 ms that base.html takes
    per page; this takes about 0.1 ms."""
    few = len(menu) <= 2
    out = []
    for group in menu:
        links = "".join(
            f'<a href="{escape(item["url"])}"{_CURRENT if item["current"] else ""} '
            f'title="{escape(item["description"])}">{escape(item["label"])}</a>'
            for item in group["items"]
        )
        opened = " open" if group["current"] or few else ""
        out.append(
            f'<details class="nav-sec" data-nav-group="{escape(group["key"])}"{opened}>\n'
            f'<summary>{escape(group["name"])}<span class="nav-count">{len(group["items"])}</span></summary>\n'
            f"{links}\n</details>"
        )
    return mark_safe("\n".join(out))  # noqa: S308 -- every value above is escaped
