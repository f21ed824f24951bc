"""Schema fuzzing: schemathesis generates requests for every operation of the OpenAPI schema (/api/v1/schema/), as
an anonymous visitor and as the province admin, against the demo data; any 5xx, an undocumented status code, a wrong
content type or a response that does not match its schema fails the run.

Bounded for CI: FUZZ_EXAMPLES Hypothesis examples per operation and identity (default 10, which schemathesis turns into
about 50 requests per operation and identity with its explicit and coverage cases; 35 operations). The number of requests
sent is printed at the end (-s)."""
from __future__ import annotations

import base64
import os
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings as hsettings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.checks import not_a_server_error

from ipplatform.wsgi import application

from ..access.test_matrix import demo_world  # noqa: F401 (the demo data of every app, loaded once for the module)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))

SENT: Counter = Counter()

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
positive = schema.include(method=["GET", "POST"])
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
COMMON = dict(deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])


def _auth(username: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    print(f"\nschema fuzz: {sum(SENT.values())} generated requests ({dict(SENT)})")


@pytest.fixture
def world(demo_world, db, users, settings):  # noqa: F811
    settings.AXES_ENABLED = False  # thousands of Basic-auth requests are not a brute force
    return demo_world


@positive.parametrize()
@hsettings(max_examples=EXAMPLES, **COMMON)
def test_api_as_anonymous(case, world):
    SENT["anonymous"] += 1
    case.call_and_validate(checks=CHECKS)


@positive.parametrize()
@hsettings(max_examples=EXAMPLES, **COMMON)
def test_api_as_admin(case, world, password):
    SENT["admin"] += 1
    case.call_and_validate(headers=_auth("admin", password), checks=CHECKS)
