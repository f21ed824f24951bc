"""The HTTP boundary: inputs that used to cause server errors (issue 19) now get Chinese 4xx answers; error pages,
headers, throttles and lockout."""

from __future__ import annotations

import io
import json

import pytest
from django.db import connection
from django.test import Client
from openpyxl import load_workbook

from ipplatform.protection.models import Intake

pytestmark = pytest.mark.django_db


def _signed_in(user):
    c = Client(raise_request_exception=False)
    c.force_login(user)
    return c


def _json_post_paths():
    """Every POST operation of the API, from the OpenAPI schema (path parameters filled with 1)."""
    import re

    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(re.sub(r"\{[^}]+\}", "1", path) for path, ops in schema["paths"].items() if "post" in ops)


@pytest.mark.parametrize("body", ["[]", "[1, 2]", "7", '"文本"', "null", "true", "{bad json"])
def test_json_bodies_that_are_not_objects_are_a_chinese_400_on_every_post_endpoint(users, body):
    paths = _json_post_paths()
    assert len(paths) >= 7
    for who in ("anonymous", "admin"):
        c = Client(raise_request_exception=False) if who == "anonymous" else _signed_in(users["admin"])
        for path in paths:
            r = c.post(path, data=body, content_type="application/json")
            assert r.status_code < 500, f"{who} {path}: {r.status_code}"
            if r.status_code == 400:
                assert "JSON" in r.json()["error"]


def test_api_404s_are_chinese_json(users):
    c = _signed_in(users["admin"])
    for path in ("/api/v1/nowhere", "/api/v1/market/listings/999999/matches", "/api/v1/protection/cases/999999/"):
        r = c.get(path)
        assert r.status_code == 404 and r["Content-Type"].startswith("application/json"), path
        error = r.json()["error"]
        assert error and not error.isascii() and "No " not in error
    page = c.get("/market/listings/999999/")
    assert page.status_code == 404 and "No Listing" not in page.content.decode() and "不存在" in page.content.decode()


def test_over_long_urls_get_a_chinese_414(users):
    r = Client().get("/search/?q=" + "电" * 5000)
    assert r.status_code == 414 and "网址过长" in r.content.decode()
    r = Client().get("/api/v1/patents/search?q=" + "a" * 5000)
    assert r.status_code == 414 and "网址过长" in r.json()["error"]


def test_security_headers_and_no_store_on_personal_pages(users):
    anon = Client().get("/login/")
    csp = anon["Content-Security-Policy"]
    script = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script and "frame-ancestors 'none'" in csp
    page = _signed_in(users["city370100"]).get("/protection/")
    assert page["Cache-Control"] == "no-store, private" and "Content-Security-Policy" in page


def test_no_template_has_inline_scripts_or_handlers():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "ipplatform"
    offenders = []
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", text):
            offenders.append(f"{path.relative_to(root)}: {m.group()}")
        for m in re.finditer(r"\son[a-z]+\s*=\s*[\"']", text):
            offenders.append(f"{path.relative_to(root)}: {m.group().strip()}")
    assert not offenders, offenders


@pytest.mark.parametrize(
    "path",
    [
        "/protection/?handler=²",
        "/protection/deadlines/?handler=²&department=¹",
        "/protection/statistics/?year=²⁰²⁵",
        "/workplan/board/?section=²&unit=9999999999999999999999",
        "/market/stats/?year=10000",
        "/finance/subsidies/?year=²",
        "/api/v1/market/stats?year=²",
        "/api/v1/workplan/tasks?year=²",
        "/api/v1/workplan/board?as_of=10000-01-01",
        "/api/v1/finance/patents/CN1/pledge?on=2026-02-30",
        "/audit/?date_from=99999-01-01",
        "/search/?q=" + "(" * 240 + "电池" + ")" * 240,
        "/search/export/?q=" + "(" * 240 + "a" + ")" * 240,
        "/api/v1/patents/search?q=" + "(" * 240 + "a" + ")" * 240,
    ],
)
def test_odd_numbers_dates_and_nesting_are_not_server_errors(users, path):
    r = _signed_in(users["admin"]).get(path)
    assert r.status_code < 500, (path, r.status_code)


def test_ids_above_2_63_and_non_numeric_ids_in_forms(users):
    c = _signed_in(users["admin"])
    for data in ({"applications": [str(2**64), "abc", "²"], "title": "批次"},):
        assert c.post("/finance/subsidies/batches/", data).status_code < 500
    assert c.post("/navigation/db/1/manual/", {"remove": str(2**64)}).status_code < 500
    assert c.get(f"/market/listings/{2**63}/").status_code == 404


def test_anonymous_intake_control_characters_and_lengths(settings):
    c = Client(raise_request_exception=False)
    base = {
        "kind": "complaint",
        "subject": "侵权\x07投诉\x1b[31m",
        "description": "说明",
        "requester_name": "张三",
        "requester_phone": "13800000000",
        "region_code": "370102",
        "respondent_name": "某公司",
    }
    assert c.post("/protection/intake/", base).status_code == 302
    stored = Intake.objects.get()
    assert stored.subject == "侵权投诉[31m"
    r = c.post("/protection/intake/", {**base, "subject": "长" * 100_000})
    assert r.status_code in (200, 400) and "过长" in r.content.decode() and Intake.objects.count() == 1
    r = c.post("/protection/intake/", {**base, "description": "长" * 400_000})
    assert r.status_code in (200, 400) and "过长" in r.content.decode() and Intake.objects.count() == 1


def test_formula_and_control_characters_are_safe_in_the_audit_export(users):
    from ipplatform.core import audit
    from ipplatform.core.enums import AuditAction

    audit.record(
        AuditAction.EXPORT, object_type="test", object_repr='=HYPERLINK("http://evil","点")', reason="响铃\x07"
    )
    r = _signed_in(users["admin"]).get("/audit/", {"export": "xlsx"})
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" for c in cells)


@pytest.mark.parametrize(
    "field, value", [("asking_price", "NaN"), ("asking_price", "Infinity"), ("asking_price", "1e26")]
)
def test_nan_infinite_and_huge_amounts_are_refused(users, field, value):
    from ipplatform.market import services

    with pytest.raises(Exception) as err:
        services.parse_amount(value, field=field, label="挂牌价格")
    assert type(err.value).__name__ == "InputError"


def test_negative_capacity_is_a_chinese_error(users):
    import datetime as dt

    from ipplatform.core.inputs import InputError
    from ipplatform.market import services
    from ipplatform.market.enums import EventKind

    with pytest.raises(InputError, match="名额"):
        services.create_event(
            user=users["admin"],
            title="对接会",
            kind=EventKind.values[0],
            venue="济南",
            starts_on=dt.date(2026, 6, 1),
            ends_on=dt.date(2026, 6, 1),
            capacity="-5",
        )


def test_progress_query_throttle_is_in_the_shared_cache(db):
    from django.core.cache import caches

    from ipplatform.core.inputs import InputError
    from ipplatform.protection import services

    for _ in range(services.TRACK_MAX_FAILURES):
        with pytest.raises(InputError, match="不正确"):
            services.track(tracking_no="12330-TEST", code="000000")
    with pytest.raises(InputError, match="连续输错"):
        services.track(tracking_no="12330-TEST", code="000000")
    with connection.cursor() as cur:  # the counter is a row of the database cache, seen by every worker process
        cur.execute("SELECT COUNT(*) FROM ipplatform_cache WHERE cache_key LIKE %s", ["%track-failures%"])
        assert cur.fetchone()[0] == 1
    caches["shared"].close()
    with pytest.raises(InputError, match="连续输错"):
        services.track(tracking_no="12330-TEST", code="000000")


def test_lockout_is_by_username_and_address(users, password):
    from ipplatform.core.models import User

    assert User.objects.filter(username="admin").exists()
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(6):
        attacker.post("/login/", {"username": "admin", "password": "wrong-Password1"})
    r = attacker.post("/login/", {"username": "admin", "password": password})
    assert r.status_code == 429
    owner = Client(REMOTE_ADDR="10.0.0.8")  # the real admin, elsewhere, is not locked out
    r = owner.post("/login/", {"username": "admin", "password": password})
    assert r.status_code == 302
    assert json.dumps({"ok": True})


@pytest.mark.parametrize("username", ["city370100", "haier", "public", "expert"])
def test_every_user_can_change_their_password(users, password, username):
    c = Client()
    assert c.post("/login/", {"username": username, "password": password}).status_code == 302
    page = c.get("/account/password/")
    assert page.status_code == 200 and "修改密码" in page.content.decode()
    r = c.post(
        "/account/password/", {"old_password": "wrong", "new_password1": "Qilu#2026pw", "new_password2": "Qilu#2026pw"}
    )
    assert r.status_code == 200 and "旧密码" in r.content.decode()
    r = c.post(
        "/account/password/", {"old_password": password, "new_password1": "Qilu#2026pw", "new_password2": "Qilu#2026pw"}
    )
    assert r.status_code == 302 and c.get("/protection/").status_code == 200  # still signed in
    assert Client().post("/login/", {"username": username, "password": "Qilu#2026pw"}).status_code == 302
    assert Client().post("/login/", {"username": username, "password": password}).status_code == 200


def test_a_password_reset_by_the_administrator_must_be_changed_at_first_login(users, password):
    from ipplatform.core.models import User

    target = users["city370200"]
    User.objects.filter(pk=target.pk).update(is_demo=False)  # demo accounts keep their published password
    admin = Client()
    admin.force_login(users["admin"])
    r = admin.post(f"/admin/core/user/{target.pk}/password/", {"password1": "Reset#2026a", "password2": "Reset#2026a"})
    assert r.status_code == 302
    assert User.objects.get(pk=target.pk).must_change_password
    c = Client()
    assert c.post("/login/", {"username": "city370200", "password": "Reset#2026a"}).status_code == 302
    r = c.get("/protection/")
    assert r.status_code == 302 and r["Location"] == "/account/password/"
    assert c.get("/api/v1/me").status_code == 403
    r = c.post(
        "/account/password/",
        {"old_password": "Reset#2026a", "new_password1": "Mine#2026b", "new_password2": "Mine#2026b"},
    )
    assert r.status_code == 302 and not User.objects.get(pk=target.pk).must_change_password
    assert c.get("/protection/").status_code == 200


def test_basic_auth_with_a_nul_byte_is_refused_not_a_server_error(db, users, password):
    import base64

    from django.test import Client

    for name in ("ad\x00min", "admin\x07", "a" * 151):
        token = base64.b64encode(f"{name}:{password}".encode()).decode()
        r = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Basic {token}")
        assert r.status_code in (401, 403) and "用户名或密码无效" in r.content.decode()
    token = base64.b64encode(f"admin:{password}".encode()).decode()
    assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Basic {token}").status_code == 200


def test_a_nul_byte_in_a_parameter_is_refused_with_its_name(db, users):
    from django.test import Client

    c = Client()
    c.force_login(users["admin"])
    r = c.get("/api/v1/finance/pledges", {"state": "a\x00b"})
    assert r.status_code == 400 and "网址参数“state”含有空字符" in r.json()["error"]
    r = c.get("/market/listings/check/", {"patent": "\x00"})
    assert r.status_code == 400 and "含有空字符" in r.content.decode()
    r = c.post("/search/saved/", "name=x%00", content_type="application/x-www-form-urlencoded")  # a browser form
    assert r.status_code == 400 and "表单字段“name”含有空字符" in r.content.decode()


def test_a_json_view_still_reads_its_body_after_the_nul_check(db, users):
    from django.test import Client

    c = Client()
    c.force_login(users["admin"])
    r = c.post("/api/v1/protection/track/", data='{"tracking_no": "x", "code": "y"}', content_type="application/json")
    assert r.status_code in (400, 403, 404) and r.status_code != 500
    r = c.post("/api/v1/protection/track/", {})  # multipart: the stream is left to the view
    assert r.status_code != 500
