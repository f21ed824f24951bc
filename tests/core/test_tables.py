"""core.tables: whitelisted sorting, page sizes, selection export through the scoped queryset, empty states."""

import io

import pytest
from django.test import RequestFactory
from openpyxl import load_workbook

from ipplatform.core.inputs import InputError
from ipplatform.core.models import Organization
from ipplatform.core.tables import PAGE_SIZES, Table, col

pytestmark = pytest.mark.django_db

COLUMNS = [col("name", "名称", "name"), col("kind", "类型", "kind"), col("note", "备注")]


def _table(query="", qs=None, **kwargs):
    request = RequestFactory().get("/x/" + ("?" + query if query else ""))
    return Table(request, qs if qs is not None else Organization.objects.all(), columns=COLUMNS, **kwargs)


def test_sorting_is_whitelisted_and_reversible(orgs):
    names = sorted(Organization.objects.values_list("name", flat=True))
    assert [o.name for o in _table("sort=name&per_page=100").page] == names[:100]
    assert [o.name for o in _table("sort=-name&per_page=100").page] == sorted(names, reverse=True)[:100]
    header = {h.column.key: h for h in _table("sort=name").header}
    assert header["name"].direction == "asc" and "sort=-name" in header["name"].url
    assert header["kind"].direction == "" and "sort=kind" in header["kind"].url
    assert header["note"].url == ""  # not sortable
    for bad in ("password", "note", "name;drop", "-", "region_code"):
        with pytest.raises(InputError, match="排序字段.*无效.*name（名称）"):
            _table(f"sort={bad}")


def test_page_size_choice_is_capped(orgs):
    assert _table().per_page == PAGE_SIZES[0]
    assert _table("per_page=50").per_page == 50
    assert _table("per_page=100000").per_page == PAGE_SIZES[-1]
    for bad in ("abc", "0", "-5", "２０"):
        with pytest.raises(InputError, match="每页条数"):
            _table(f"per_page={bad}")


def test_selection_narrows_the_same_scoped_queryset(orgs):
    scoped = Organization.objects.filter(kind="bank")
    inside = scoped.first()
    outside = Organization.objects.exclude(kind="bank").first()
    table = _table(f"ids={inside.pk}&ids={outside.pk}&selected=1", qs=scoped)
    assert list(table.export_queryset()) == [inside]  # a ticked id outside the list's queryset is never exported
    assert table.export_queryset().count() == 1
    assert _table(qs=scoped).export_queryset().count() == scoped.count()
    with pytest.raises(InputError, match="请先勾选"):
        _table("selected=1", qs=scoped).export_queryset()
    with pytest.raises(InputError, match="所选记录编号"):
        _table("ids=1x", qs=scoped).export_queryset()


def test_empty_state_says_why(orgs):
    none = Organization.objects.none()
    assert _table(qs=none, unfiltered=none).empty_reason == "none"
    t = _table("q=zzz", qs=none, unfiltered=Organization.objects.all())
    assert t.empty_reason == "filtered" and "筛选" in t.empty_message
    t = _table(qs=none, unfiltered=none, unscoped=Organization.objects.all())
    assert t.empty_reason == "scope" and "数据权限" in t.empty_message
    assert _table().empty_reason == ""


def test_case_list_sorts_pages_exports_selection_and_refuses_bad_sort(client, users):
    from ipplatform.protection.models import Case

    client.force_login(users["fawu"])
    html = client.get("/protection/?sort=-received&per_page=50").content.decode()
    assert 'aria-sort="descending"' in html and "每页" in html and "导出所选" in html
    assert "table-scroll" in html and "data sticky" in html
    bad = client.get("/protection/?sort=secret")
    assert bad.status_code == 400 and "排序字段“secret”无效" in bad.content.decode()
    empty = client.get("/protection/?q=绝无此案").content.decode()
    assert "当前筛选条件下没有案件" in empty or "平台尚无案件。" in empty
    cases = list(Case.objects.all()[:2])
    if cases:
        resp = client.get(f"/protection/?export=xlsx&selected=1&ids={cases[0].pk}")
        ws = load_workbook(io.BytesIO(resp.content)).active
        assert ws.freeze_panes is not None
        data_rows = [r for r in ws.iter_rows(values_only=True)][2:]
        assert [r[0] for r in data_rows] == [cases[0].case_no]


def test_audit_view_uses_the_table(client, users):
    client.force_login(users["admin"])
    html = client.get("/audit/?sort=seq&per_page=20").content.decode()
    assert 'aria-sort="ascending"' in html and 'name="ids"' in html
    assert client.get("/audit/?per_page=x").status_code == 400


ROWS = [
    {"task": {"pk": 1, "number": 3}, "percent": 40, "health": "late"},
    {"task": {"pk": 2, "number": 1}, "percent": None, "health": "not_started"},
    {"task": {"pk": 3, "number": 2}, "percent": 90, "health": "on_track"},
    {"task": {"pk": 4, "number": 4}, "percent": 40, "health": "on_track"},
]
ROW_COLUMNS = [col("number", "序号", "task.number"), col("percent", "进度", "percent", "task.number"), col("x", "说明")]


def _rows(query="", rows=ROWS, **kwargs):
    request = RequestFactory().get("/x/" + ("?" + query if query else ""))
    return Table(request, list(rows), columns=ROW_COLUMNS, row_id=lambda r: r["task"]["pk"], **kwargs)


def test_a_list_of_rows_sorts_by_a_dotted_path():
    assert [r["task"]["number"] for r in _rows("sort=number").page] == [1, 2, 3, 4]
    assert [r["task"]["number"] for r in _rows("sort=-number").page] == [4, 3, 2, 1]


def test_rows_without_a_value_sort_last_both_ways_and_ties_use_the_next_path():
    assert [r["task"]["pk"] for r in _rows("sort=percent").page] == [1, 4, 3, 2]
    assert [r["task"]["pk"] for r in _rows("sort=-percent").page] == [3, 4, 1, 2]


def test_a_list_exports_only_the_ticked_rows_by_their_row_id():
    table = _rows("sort=number&ids=3&ids=1&selected=1")
    assert [r["task"]["pk"] for r in table.export_queryset()] == [3, 1]
    assert len(_rows("sort=number").export_queryset()) == 4


def test_an_empty_filtered_list_says_the_filter_excludes_rows():
    assert _rows("q=x", rows=[], unfiltered=ROWS).empty_reason == "filtered"
    assert _rows(rows=[], unfiltered=[]).empty_reason == "none"
