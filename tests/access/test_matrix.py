"""The generated access matrix: every URL pattern × every probe account (and anonymous), from the rules table.

The table is the union of each app's `access_rules.RULES` (format: ipplatform/core/access.py, docs/ACCESS.md).
- test_every_url_has_a_rule: a URL pattern of the project without a rule fails (so a new view must be added).
- test_rule: loads the demo data once, requests the rule's URL as every probe; allowed probes must get the page,
  every other probe must be refused (anonymous: login redirect or 403; signed in: 403 or 404); never a 5xx.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ipplatform.core.access import ANONYMOUS, PROBES, app_rules

RULES = app_rules()
REQUESTS = Counter()


def url_patterns(patterns=None, namespace=""):
    """(name with namespace, route) of every URL pattern of the project."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from url_patterns(p.url_patterns, ns)
        elif isinstance(p, URLPattern):
            name = p.name or f"<unnamed {p.pattern}>"
            yield (f"{namespace}:{name}" if namespace else name), str(p.pattern)


def covered(name: str, rule_names: set[str]) -> bool:
    return name in rule_names or any(r.endswith(":*") and name.startswith(r[:-1]) for r in rule_names)


def test_every_url_has_a_rule():
    names = {r.name for r in RULES}
    missing = sorted({name for name, _ in url_patterns() if not covered(name, names)})
    assert not missing, "URL patterns without an access rule (add them to <app>/access_rules.py):\n" + "\n".join(
        missing
    )
    duplicates = [n for n, c in Counter(r.name for r in RULES if not r.query).items() if c > 1]
    assert not duplicates, f"several rules without a query for one URL: {duplicates}"
    unknown = sorted(
        r.name for r in RULES if not r.name.endswith(":*") and r.name not in {n for n, _ in url_patterns()}
    )
    assert not unknown, f"rules for URL names that do not exist: {unknown}"


@pytest.fixture
def no_threads(monkeypatch):
    """Background jobs started by an allowed POST do not run (their rows are rolled back with the request)."""
    from ipplatform.core import jobs

    class _Idle:
        def __init__(self, *a, **k):
            pass

        def start(self):
            pass

    monkeypatch.setattr(jobs.threading, "Thread", _Idle)


def to_login(response) -> bool:
    """A redirect to the login page (the platform's, or the admin site's for accounts that are not staff)."""
    location = response.get("Location", "")
    return response.status_code == 302 and (reverse(settings.LOGIN_URL) in location or "/admin/login/" in location)


def refused(probe: str, response) -> bool:
    if probe == ANONYMOUS:
        return response.status_code in (401, 403) or to_login(response)
    return response.status_code in (403, 404) or to_login(response)


def allowed(rule, probe: str, response) -> bool:
    if rule.status:
        return response.status_code in rule.status
    if to_login(response):
        return False
    if rule.method == "POST" and response.status_code == 400:
        return True  # passed the permission check, then refused the empty input
    return response.status_code < 400


@pytest.mark.parametrize(
    "rule",
    [r for r in RULES if not r.name.endswith(":*") or r.name == "admin:*"],
    ids=lambda r: f"{r.name}{'?' + r.query if isinstance(r.query, str) and r.query else ''}:{r.method}",
)
def test_rule(rule, demo_world, db, users, no_threads):
    obj = rule.obj.resolve() if rule.obj is not None else None
    name = "admin:index" if rule.name == "admin:*" else rule.name
    query = rule.query(obj) if callable(rule.query) else rule.query
    url = reverse(name, kwargs=rule.url_kwargs(obj)) + (f"?{query}" if query else "")
    wrong = []
    with override_settings(DATA_DIR=demo_world, MEDIA_ROOT=demo_world / "files"):
        for probe in PROBES:
            client = Client(raise_request_exception=False)
            if probe != ANONYMOUS:
                client.force_login(users[probe])
            with transaction.atomic():
                if rule.method == "POST":
                    response = client.post(url, (rule.data(obj) if callable(rule.data) else rule.data) or {})
                else:
                    response = client.get(url)
                transaction.set_rollback(True)
            REQUESTS[rule.method] += 1
            expected = probe in rule.allow
            if response.status_code >= 500:
                wrong.append(f"{probe}: server error {response.status_code}")
            elif expected and not allowed(rule, probe, response):
                wrong.append(f"{probe}: expected allowed, got {response.status_code} {response.get('Location', '')}")
            elif not expected and not refused(probe, response):
                wrong.append(f"{probe}: expected refused, got {response.status_code} {response.get('Location', '')}")
    assert not wrong, f"{rule.method} {url}:\n" + "\n".join(wrong)


def test_matrix_size():
    """Printed with -s: the number of requests the matrix makes (rules × probes)."""
    total = sum(1 for r in RULES if not r.name.endswith(":*") or r.name == "admin:*") * len(PROBES)
    print(f"\naccess matrix: {len(RULES)} rules × {len(PROBES)} probes = {total} requests")
    assert total >= 200 * len(PROBES) * 0.9
