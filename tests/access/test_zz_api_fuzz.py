"""Schema fuzzing: schemathesis generates requests for every operation of the OpenAPI schema (/api/v1/schema/), as
an anonymous visitor and as the province admin, against the demo data; any 5xx, an undocumented status code, a wrong
content type or a response that does not match its schema fails the run.

Volume: FUZZ_EXAMPLES Hypothesis examples per operation and identity, on top of schemathesis's explicit and coverage
cases (about 50 per operation). Defaults, sized for CI, which runs the whole suite on SQLite and on PostgreSQL side by
side on 2 cores within its 45 minutes (measured 2026-12-05: about 15 ms of CPU per request on SQLite, mostly case
generation; at 200 and 80 examples the PostgreSQL run took 41 minutes, too close to the limit):
- SQLite: 120 examples per operation and identity, which gives a few hundred requests per operation over the two
  identities (at 200 examples: 17,728 requests, median 216 per operation and identity);
- PostgreSQL: 30 examples (at 80: 9,328 requests, median 96): each request also costs the database server's CPU on
  the same 2 cores, and that run is the longer of the two.
FUZZ_EXAMPLES=n overrides both. The requests sent, per identity and per operation, are printed at the end (-s)."""

from __future__ import annotations

import base64
import os
import time
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hsettings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ipplatform.wsgi import application


def _default_examples() -> int:
    from django.conf import settings

    return 30 if "postgresql" in settings.DATABASES["default"]["ENGINE"] else 120


EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or _default_examples())

SENT: Counter = Counter()  # (identity, operation) -> requests sent
STARTED: list = []  # (CPU seconds, wall seconds) when the first case ran, the demo world loaded

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
positive = schema.include(method=["GET", "POST"])
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
COMMON = dict(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)


def _auth(username: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    per_identity = Counter()
    for (identity, _), n in SENT.items():
        per_identity[identity] += n
    per_operation = sorted(SENT.values()) or [0]
    cpu, wall = (time.process_time() - STARTED[0][0], time.perf_counter() - STARTED[0][1]) if STARTED else (0, 0)
    print(
        f"\nschema fuzz: {sum(SENT.values())} generated requests ({dict(per_identity)}); per operation and identity "
        f"{per_operation[0]}–{per_operation[-1]}, median {per_operation[len(per_operation) // 2]} "
        f"({len(SENT)} operation × identity pairs, FUZZ_EXAMPLES={EXAMPLES}); {cpu:.0f} s CPU, {wall:.0f} s wall "
        f"after the demo world was loaded"
    )


@pytest.fixture
def world(demo_world, db, users, settings):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    if not STARTED:
        STARTED.append((time.process_time(), time.perf_counter()))
    settings.AXES_ENABLED = False  # thousands of Basic-auth requests are not a brute force
    # schemathesis calls the WSGI application itself, not Django's test client: like the test client, keep the
    # connection (and with it the transaction that holds the demo world) open between requests
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield demo_world
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@positive.parametrize()
@hsettings(max_examples=EXAMPLES, **COMMON)
def test_api_as_anonymous(case, world):
    SENT["anonymous", case.operation.label] += 1
    case.call_and_validate(checks=CHECKS)


@positive.parametrize()
@hsettings(max_examples=EXAMPLES, **COMMON)
def test_api_as_admin(case, world, password):
    SENT["admin", case.operation.label] += 1
    case.call_and_validate(headers=_auth("admin", password), checks=CHECKS)
