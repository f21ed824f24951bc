"""Search pages: results with highlights and facets, one-click refinement, history with #n, saved searches
with a 'new since last run' count, the city scope, syntax errors with a caret, and the patent page."""

import re

from ipplatform.core.models import IPCEntry
from ipplatform.patents.models import Applicant, LegalEvent, Patent, PatentApplicant
from ipplatform.search import services
from ipplatform.search.models import SavedSearch, SearchHistory

from .factories import make_patent


def test_search_page_facets_history_and_saved(real_patents, users, client):
    # public page: anonymous visitors search too (no history, no export)
    r = client.get("/search/", {"q": "名称=电池"})
    total = services.count(query="名称=电池")
    assert r.status_code == 200 and f"命中 {total} 件" in r.content.decode()
    assert "登录后可导出" in r.content.decode()

    user = users["xinxi"]
    client.force_login(user)
    html = client.get("/search/", {"q": "名称=电池"}).content.decode()
    assert "<mark>电池</mark>" in html and "导出全部 Excel" in html
    # one click on a facet narrows the query and the counts agree
    link = re.search(
        r'<div class="card facet" data-facet="year">.*?<a href="\?([^"]+)"[^>]*>(\d{4})年</a><span class="n">(\d+)</span>',
        html,
        re.S,
    )
    assert link
    year, count = link.group(2), int(link.group(3))
    refined = services.refine(query="名称=电池", clause=f"申请日={year}")
    html2 = client.get("/search/?" + link.group(1).replace("&amp;", "&")).content.decode()
    assert f"命中 {count} 件" in html2 and services.count(query=refined) == count
    h = list(SearchHistory.objects.filter(user=user).order_by("number"))
    assert [x.query for x in h] == ["名称=电池", refined] and h[0].total == total
    # #n combines earlier searches of the same user
    assert services.count(query="#1 NOT #2", user=user) == total - count
    r = client.get("/search/", {"q": "#1 NOT #2"})
    assert f"命中 {total - count} 件" in r.content.decode()
    # history references are per user
    r = client.get("/search/", {"q": "#9"})
    assert "检索历史中没有 #9" in r.content.decode()

    # saved search: "new since last run"
    client.post("/search/saved/", {"name": "电池", "q": "名称=电池"})
    s = SavedSearch.objects.get(user=user, name="电池")
    assert s.last_total == total
    SavedSearch.objects.filter(pk=s.pk).update(last_run_at=s.last_run_at.replace(year=2000))
    make_patent("2099100000011", "一种新型电池", save="orm")
    services.index_ids(ids=["2099100000011"])
    rows = services.saved_searches(user=user)
    assert rows[0]["total"] == total + 1 and rows[0]["new"] == total + 1  # everything is newer than the year 2000
    import datetime as dt

    from django.utils import timezone

    # the fixtures added the other records seconds before the new one: date them an hour back, so that "new since
    # the last run" is decided by the data and not by how fast the machine ran the fixtures
    others = list(Patent.objects.exclude(pk="2099100000011").values_list("pk", flat=True))
    Patent.objects.filter(pk__in=others).update(created_at=timezone.now() - dt.timedelta(hours=1))
    services.index_ids(ids=others)
    SavedSearch.objects.filter(pk=s.pk).update(
        last_run_at=Patent.objects.get(pk="2099100000011").created_at - dt.timedelta(seconds=2)
    )
    assert services.saved_searches(user=user)[0]["new"] == 1
    client.post(f"/search/saved/{s.pk}/run/")
    assert services.saved_searches(user=user)[0]["new"] == 0
    assert "保存的检索式" in client.get("/search/saved/").content.decode()
    assert "#1" in client.get("/search/history/").content.decode()


def test_syntax_error_shows_caret_and_city_scope(db, reference_data, search_dir, client):
    make_patent("2016100000011", "一种锂电池隔膜", region="370211")
    make_patent("2016100000022", "一种锂电池隔膜涂布", region="370102")
    services.rebuild_index()
    r = client.get("/search/", {"q": "名称=(电池 AND"})
    html = r.content.decode()
    assert r.status_code == 200 and "缺少检索词" in html and "^" in html
    html = client.get("/search/", {"q": "隔膜", "city": "370200"}).content.decode()
    assert "命中 1 件" in html and "青岛市" in html
    assert services.matching_ids(query="隔膜 AND 地区=青岛市") == ["2016100000011"]
    assert services.matching_ids(query="隔膜 AND RC=370102") == ["2016100000022"]
    assert sorted(services.matching_ids(query="RC=37")) == ["2016100000011", "2016100000022"]
    assert client.get("/search/", {"q": "隔膜", "city": "abc"}).status_code == 200
    assert "地区“火星”" in client.get("/search/", {"q": "地区=火星"}).content.decode()
    assert "检索语法" in client.get("/search/help/").content.decode()


def test_patent_page(db, reference_data, search_dir, client):
    IPCEntry.objects.update_or_create(
        code="H01M10/05", defaults={"level": "subgroup", "parent": "H01M10/00", "title_zh": "锂蓄电池的结构"}
    )
    p = make_patent(
        "2016100000011",
        "一种锂离子电池隔膜及其制备方法",
        abstract="聚乙烯隔膜，涂覆陶瓷层，提高锂离子电池安全性。",
        save="orm",
    )
    make_patent("2016100000022", "锂离子电池陶瓷隔膜", abstract="陶瓷涂覆隔膜")
    make_patent("2016100000033", "一种拖拉机变速箱", abstract="齿轮", ipc="B60K17/00")
    a = Applicant.objects.create(name="山东大学", entity_type="university", patent_count=1)
    PatentApplicant.objects.create(patent=p, applicant=a, order=1)
    LegalEvent.objects.create(patent=p, date="2017-01-04", code="publication", description="发明专利申请公布")
    LegalEvent.objects.create(patent=p, date="2018-03-02", code="grant")
    services.rebuild_index()
    html = client.get("/patents/2016100000011/").content.decode()
    assert "锂蓄电池的结构" in html and "主分类号" in html and "山东大学" in html and "大专院校" in html
    timeline = re.search(r'class="timeline">(.*?)</ul>', html, re.S).group(1)
    assert (
        timeline.index("2017-01-04") < timeline.index("发明专利申请公布") < timeline.index("2018-03-02</strong> 授权")
    )
    similar = re.search(r"相似专利(.*?)</ul>", html, re.S).group(1)
    assert "锂离子电池陶瓷隔膜" in similar and "拖拉机" not in similar and "2016100000011/" not in similar
    assert client.get("/patents/2099999999999/").status_code == 404
    ranked = services.rank_text(text="陶瓷涂覆的锂电池隔膜", limit=5)
    assert ranked[0][0] in ("2016100000011", "2016100000022") and "2016100000033" not in [r[0] for r in ranked]
    assert services.rank_text(text="陶瓷隔膜", exclude_ids=["2016100000022", "2016100000011"]) == []


def test_table_view_remembered_and_selected_export(real_patents, users, client):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(users["xinxi"])
    html = client.get("/search/", {"q": "名称=电池", "view": "table", "per_page": "50"}).content.decode()
    assert 'id="result-table"' in html and 'name="ids"' in html
    assert re.search(r'<b aria-current="true">表格</b>', html) and re.search(r'<b aria-current="true">50</b>', html)
    assert 'name="view" value="table"' in html  # a new query keeps the view
    assert not re.search(r"\bK[0-9A-F]{15}\b", re.sub(r'value="[^"]*"|href="[^"]*"', "", html))
    ids = services.matching_ids(query="名称=电池")[:2]
    batteries = set(services.matching_ids(query="名称=电池"))
    stranger = next(i for i in services.matching_ids(query="名称=装置") if i not in batteries)
    resp = client.get(
        "/search/export/",
        {"q": "名称=电池", "format": "xlsx", "selected": "1", "ids": [*ids, stranger]},
    )
    rows = list(load_workbook(BytesIO(b"".join(resp.streaming_content))).active.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r[0] == "申请号")
    assert len(rows[header_at + 1 :]) == 2  # the ticked hits only; an id the query does not match is left out
    resp = client.get("/search/export/", {"q": "名称=电池", "format": "xlsx", "selected": "1"})
    assert resp.status_code == 302  # nothing ticked: a message, not a file
    assert client.get("/search/", {"q": "名称=电池", "per_page": "abc"}).status_code == 400


def test_table_view_date_headers_sort_and_reverse(real_patents, users, client):
    import html as htmllib

    client.force_login(users["xinxi"])
    page = client.get("/search/", {"q": "名称=电池", "view": "table"}).content.decode()
    head = re.search(r"<thead>(.*?)</thead>", page, re.S).group(1)
    link = htmllib.unescape(re.search(r'data-col="application_date"><a href="([^"]+)"', head).group(1))
    assert "sort=ad_desc" in link and "view=table" in link  # first click: newest first, the view kept
    newest = client.get("/search/" + link).content.decode()
    dates = re.findall(r'<td class="nowrap">(\d{4}-\d\d-\d\d)</td><td class="nowrap">', newest)
    assert len(dates) >= 5 and dates == sorted(dates, reverse=True)
    head = re.search(r"<thead>(.*?)</thead>", newest, re.S).group(1)
    assert re.search(r'data-col="application_date" aria-sort="descending"><a href="[^"]*sort=ad_asc', head)
