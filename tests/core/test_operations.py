"""Operations endpoints: /healthz, request ids and JSON log lines, API docs served locally, the lockout admin in Chinese."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from ipplatform.core import health
from ipplatform.core.observability import JsonFormatter, RequestIdFilter


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_healthz_reports_each_check(db, client, data_dir):
    from ipplatform.search import services

    services.rebuild_index()
    r = client.get("/healthz")
    body = r.json()
    assert r.status_code == 200 and body["ok"], body
    assert set(body["checks"]) == {"database", "queue", "search", "disk"}
    assert body["checks"]["database"]["default"]["ok"] and body["checks"]["search"]["documents"] == 0
    assert body["checks"]["queue"]["worker_ok"] is False  # no worker has reported in this test
    health.note_worker_alive()
    assert client.get("/healthz").json()["checks"]["queue"]["worker_ok"] is True
    assert str(data_dir) not in r.content.decode()  # no paths for anonymous callers
    assert r["Cache-Control"].startswith("max-age=0")


def test_healthz_fails_when_the_index_is_missing_or_disk_is_full(db, client, data_dir, settings):
    r = client.get("/healthz")
    assert r.status_code == 503 and not r.json()["checks"]["search"]["ok"]
    from ipplatform.search import services

    services.rebuild_index()
    settings.HEALTH_MIN_FREE_BYTES = 1 << 60
    r = client.get("/healthz")
    assert r.status_code == 503 and not r.json()["checks"]["disk"]["ok"] and r.json()["checks"]["search"]["ok"]


def test_request_id_header_and_json_log_lines(db, client, caplog):
    with caplog.at_level(logging.INFO, logger="ipplatform.requests"):
        r = client.get("/login/", HTTP_X_REQUEST_ID="abc12345-lb")
    assert r["X-Request-ID"] == "abc12345-lb"
    rec = next(x for x in caplog.records if x.name == "ipplatform.requests")
    RequestIdFilter().filter(rec)
    line = json.loads(JsonFormatter().format(rec))
    assert line["path"] == "/login/" and line["status"] == 200 and line["method"] == "GET" and "duration_ms" in line
    # a header that is not a plausible id is replaced
    assert client.get("/login/", HTTP_X_REQUEST_ID="<script>")["X-Request-ID"] != "<script>"


def test_api_docs_load_swagger_and_redoc_from_this_server(users, password):
    c = Client()
    c.post("/login/", {"username": "xinxi", "password": password})
    for url in ("/api/v1/docs/", "/api/v1/redoc/"):
        html = c.get(url).content.decode()
        assert "cdn" not in html.lower() and "//unpkg" not in html and "jsdelivr" not in html
        assert "/static/drf_spectacular_sidecar/" in html
    assert c.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js").status_code == 200


def test_lockout_admin_section_is_chinese(users, password):
    c = Client()
    c.post("/login/", {"username": "admin", "password": password})
    html = c.get("/admin/").content.decode()
    assert "登录锁定" in html and "登录失败记录" in html and "Access attempts" not in html
    from axes.models import AccessAttempt
    from django.utils import translation

    with translation.override("zh-hans"):
        names = {f.name: str(f.verbose_name) for f in AccessAttempt._meta.get_fields() if hasattr(f, "verbose_name")}
    assert (
        names["ip_address"] == "IP 地址"
        and names["username"] == "用户名"
        and names["failures_since_start"] == "失败次数"
    )


def test_pages_do_not_rewrite_the_session_on_every_request(users, password):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = Client()
    c.post("/login/", {"username": "xinxi", "password": password})
    c.get("/")
    with CaptureQueriesContext(connection) as q:
        c.get("/")
    assert not [
        x
        for x in q.captured_queries
        if "django_session" in x["sql"] and x["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]
