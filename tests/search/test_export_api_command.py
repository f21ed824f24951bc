"""Full-set export (XLSX, CSV), the REST API with JSON errors, and the search_patents command, on real records."""

import csv
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from ipplatform.core.models import AuditEvent
from ipplatform.search import services

BROAD = "装置 OR 方法 OR 系统"


def test_export_streams_the_full_result_set(real_patents, users, client):
    expected = services.matching_ids(query=BROAD)
    assert len(expected) > 1000  # more than any first-page limit
    client.force_login(users["xinxi"])
    resp = client.get("/search/export/", {"q": BROAD, "format": "xlsx"})
    assert resp.status_code == 200 and resp["Content-Disposition"].startswith("attachment")
    ws = load_workbook(io.BytesIO(b"".join(resp.streaming_content)), read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r[0] == "申请号")
    assert "检索式：" + BROAD in rows[0][0]
    data = rows[header_at + 1 :]
    assert len(data) == len(expected)
    by_number = {
        (p.application_number, p.publication_number): p.pk
        for p in __import__("ipplatform.patents.models", fromlist=["Patent"]).Patent.objects.all()
    }
    assert {by_number[(r[0] or "", r[4] or "")] for r in data} == set(expected)
    assert not any(re.fullmatch(r"K[0-9A-F]{15}", r[0] or "") for r in data)  # never the internal id

    resp = client.get("/search/export/", {"q": BROAD, "format": "csv"})
    assert resp.status_code == 200 and resp.streaming
    text = b"".join(resp.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    header_at = next(i for i, r in enumerate(table) if r and r[0] == "申请号")
    assert len(table[header_at + 1 :]) == len(expected)
    assert AuditEvent.objects.filter(action="export", reason__contains=str(len(expected))).count() == 2

    client.logout()
    assert client.get("/search/export/", {"q": BROAD}).status_code == 302  # login required


def test_api_search_detail_errors_and_schema(real_patents, users, client):
    assert client.get("/api/v1/patents/search", {"q": "电池"}).status_code in (401, 403)
    client.force_login(users["haier"])
    r = client.get("/api/v1/patents/search", {"q": "名称=(电池)", "limit": 5}).json()
    total = services.count(query="名称=(电池)")
    assert r["total"] == total > 5 and len(r["hits"]) == 5 and r["next_cursor"]
    assert "<mark>电池</mark>" in r["hits"][0]["highlights"]["title"]
    assert set(r["facets"]) >= {"pt", "year", "city", "sec", "cls", "sub", "app", "et", "ls"}
    seen = [h["id"] for h in r["hits"]]
    cursor = r["next_cursor"]
    while cursor:
        page = client.get(
            "/api/v1/patents/search", {"q": "名称=(电池)", "limit": 5, "cursor": cursor, "facets": "false"}
        ).json()
        assert page["facets"] == {}
        seen += [h["id"] for h in page["hits"]]
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == total

    bad = client.get("/api/v1/patents/search", {"q": "名称=(电池 AND"})
    assert bad.status_code == 400 and bad.json()["position"] == 10 and "缺少检索词" in bad.json()["error"]
    bad = client.get("/api/v1/patents/search", {"q": "电池", "cursor": "garbage"})
    assert bad.status_code == 400 and bad.json()["field"] == "cursor"

    pid = seen[0]
    d = client.get(f"/api/v1/patents/{pid}").json()
    assert d["id"] == pid and d["title"] and isinstance(d["legal_events"], list) and isinstance(d["similar"], list)
    assert client.get("/api/v1/patents/000000000000").status_code == 404
    schema = client.get("/api/v1/schema/", {"format": "json"}).content.decode()
    assert "/api/v1/patents/search" in schema and "/api/v1/patents/{application_number}" in schema


def test_search_patents_command(real_patents, capsys):
    expected = services.matching_ids(query=BROAD)
    call_command("search_patents", BROAD)
    out = capsys.readouterr().out.split()
    assert out == expected and len(out) > 1000  # all hits, one per line
    call_command("search_patents", BROAD, "--limit", "7")
    assert capsys.readouterr().out.split() == expected[:7]
    call_command("search_patents", "名称=电池", "--format", "json", "--limit", "3")
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == services.count(query="名称=电池") and len(data["hits"]) == 3
    call_command("search_patents", "名称=电池", "--format", "table", "--limit", "250")
    out = capsys.readouterr().out
    assert out.startswith(f"命中 {data['total']} 件") and "电池" in out
    with pytest.raises(CommandError) as ei:
        call_command("search_patents", "名称=(电池")
    assert "括号未闭合" in str(ei.value) and "^" in str(ei.value)
