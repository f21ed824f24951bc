from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ipplatform.core.models import Population
from ipplatform.lib.xlsx import Sheet, workbook_bytes

HEADERS = ["区划代码", "地区名称", "年份", "常住人口（人）", "数据来源"]


def _upload(rows):
    return SimpleUploadedFile("pop.xlsx", workbook_bytes([Sheet("常住人口", HEADERS, rows)]))


def _post(client, rows, mode):
    return client.post(
        "/reference/population/import/", {"file": _upload(rows), "source": "《山东统计年鉴2016》", "mode": mode}
    )


ROWS = [
    ["370300", "淄博市", 2016, 4688000, ""],
    ["379999", "不存在", 2016, 1, ""],
    ["370400", "枣庄市", "二〇一六", -5, ""],
]


def test_all_or_nothing_commits_nothing_and_reports_each_error(users, password):
    client = Client()
    client.post("/login/", {"username": "admin", "password": password})
    r = _post(client, ROWS, "all")
    body = r.content.decode()
    assert "未导入任何数据" in body
    assert "GB/T 2260（2014-2016）中无此区划代码" in body and "年份应为" in body and "常住人口应为正整数" in body
    assert not Population.objects.filter(year=2016).exists()


def test_lenient_commits_good_rows(users, password):
    client = Client()
    client.post("/login/", {"username": "admin", "password": password})
    _post(client, ROWS, "lenient")
    pop = Population.objects.get(region_code="370300", year=2016)
    assert pop.population == 4688000 and pop.source == "《山东统计年鉴2016》"
    assert Population.objects.filter(year=2016).count() == 1


def test_only_admins_import(users, password):
    client = Client()
    client.post("/login/", {"username": "city370200", "password": password})
    assert _post(client, ROWS[:1], "all").status_code == 403


def test_not_an_excel_file(users, password):
    client = Client()
    client.post("/login/", {"username": "admin", "password": password})
    r = client.post(
        "/reference/population/import/", {"file": SimpleUploadedFile("pop.csv", b"a,b"), "source": "x", "mode": "all"}
    )
    assert "不是 .xlsx 格式" in r.content.decode()
