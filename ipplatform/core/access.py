"""The access matrix: which demo role may open which URL on which object.

Every URL pattern of the project is listed in exactly one app's `access_rules.py` (`RULES = [Rule(...), ...]`);
`tests/access/test_matrix.py` loads the demo data, requests every rule as every probe account and anonymously,
and fails when a response differs from the table, or when a URL pattern has no rule. The decisions themselves are
made by `core.scopes` (objects) and `core.scopes.require_roles` (functions); this table is what they must produce.

    # ipplatform/finance/access_rules.py
    from ipplatform.core.access import PROVINCE, Obj, Rule, city

    RULES = [
        Rule("finance:pledge_detail", obj=Obj("finance.Pledge", city_code="370100"),
             allow=PROVINCE | city("370100")),
    ]

See docs/ACCESS.md for the fields and the probe accounts.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps as django_apps

ANONYMOUS = "anonymous"

# The accounts every rule is requested as (demo usernames from core.demo), plus anonymous visitors.
PROBES: tuple[str, ...] = (
    ANONYMOUS,
    "admin",
    "leader",
    "fawu",
    "guihua",
    "city370100",
    "city370200",
    "huangdao",
    "haier",
    "qilu_ent",
    "sdu",
    "bank",
    "expert",
    "public",
)

ADMIN = frozenset({"admin"})
LEADER = frozenset({"leader"})
PROVINCE = frozenset({"admin", "leader"})  # province-wide scope
DEPARTMENTS = frozenset({"fawu", "guihua"})  # department staff (法律事务处, 规划发展处)
PROVINCIAL = PROVINCE | DEPARTMENTS  # everyone at the provincial office
CITIES = frozenset({"city370100", "city370200"})
COUNTIES = frozenset({"huangdao"})
STAFF = PROVINCIAL | CITIES | COUNTIES  # government staff
ENTERPRISES = frozenset({"haier", "qilu_ent"})
ORGANIZATIONS = ENTERPRISES | frozenset({"sdu", "bank"})  # users who act for an organisation
INDIVIDUALS = frozenset({"expert", "public"})
SIGNED_IN = STAFF | ORGANIZATIONS | INDIVIDUALS
EVERYONE = SIGNED_IN | {ANONYMOUS}
NOBODY = frozenset()


def city(code: str) -> frozenset:
    """The probe accounts whose scope contains region `code` (its city bureau and, below it, its county bureau)."""
    found = {f"city{code[:4]}00"} & CITIES
    if code[:6] == "370211" or (len(code) == 6 and code.startswith("370211")):
        found |= COUNTIES
    return frozenset(found)


@dataclass(frozen=True)
class Obj:
    """The demo object a rule is requested on: the first row (by `order`) of `model` matching `lookups`, or what
    `make()` returns when the demo data has none (objects only users create, such as saved searches)."""

    model: str
    order: str = "pk"
    make: Callable | None = None
    lookups: dict = field(default_factory=dict)

    def __init__(self, model: str, order: str = "pk", make: Callable | None = None, **lookups):
        object.__setattr__(self, "model", model)
        object.__setattr__(self, "order", order)
        object.__setattr__(self, "make", make)
        object.__setattr__(self, "lookups", lookups)

    def resolve(self):
        """The object; when the demo has none, `make()` creates one (inside the test's transaction)."""
        model = django_apps.get_model(self.model)
        found = model._default_manager.filter(**self.lookups).order_by(self.order).first()
        if found is None and self.make is not None:
            found = self.make()
        if found is None:
            raise LookupError(f"no demo {self.model} matches {self.lookups}")
        return found


@dataclass(frozen=True)
class Rule:
    """One URL pattern (by name) and who may open it.

    - `name`: the URL name with its namespace ("finance:batch_detail").
    - `allow`: the probe usernames (and/or ANONYMOUS) that get the page; every other probe is refused
      (anonymous: redirect to login or 403; signed-in: 403 or 404).
    - `obj`: the object whose pk fills `<pk>`; `kwargs` (a dict, or a function of the object) for other arguments.
    - `method` "GET" or "POST" (`data` posted: a dict or a function of the object, empty by default; an allowed
      POST may answer 400 or redirect).
    - `query`: a query string appended to the URL (or a function of the object returning one).
    - `status`: the allowed answers (default: anything below 400 except a redirect to the login page).
    - `why`: a short note for a reader of the table when the rule is not obvious.
    Each request runs inside a transaction that is rolled back, so an allowed POST does not affect the next probe.
    """

    name: str
    allow: frozenset
    obj: Obj | None = None
    kwargs: dict | Callable | None = None
    method: str = "GET"
    data: dict | Callable | None = None
    query: str | Callable = ""
    status: tuple[int, ...] = ()
    why: str = ""

    def url_kwargs(self, obj) -> dict:
        if callable(self.kwargs):
            return self.kwargs(obj)
        if self.kwargs is not None:
            return dict(self.kwargs)
        return {"pk": obj.pk} if obj is not None else {}


def user(username: str):
    """A demo account by username (for `make` functions)."""
    from .models import User

    return User.objects.get(username=username)


def data_file(relative: str, content: bytes = b"demo") -> str:
    """Write a file under DATA_DIR (for `make` functions whose object points at a file); returns `relative`."""
    from pathlib import Path

    from django.conf import settings

    path = Path(settings.DATA_DIR) / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return relative


def app_rules() -> list[Rule]:
    """Every app's RULES (modules `<app>.access_rules`), in app order."""
    rules: list[Rule] = []
    for config in django_apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.access_rules")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.access_rules":
                raise
            continue
        rules.extend(module.RULES)
    return rules
