from django.urls import reverse

from ipplatform.core.models import BackgroundJob
from ipplatform.patents.models import ColumnMapping, ImportRun, Patent

from .conftest import write_csv


def test_upload_runs_the_same_import_as_a_job(patents_env, users, client, tmp_path, carrot_rows, settings):
    settings.PATENTS_IMPORT_INLINE = True
    header, rows = carrot_rows
    rows = [list(r) for r in rows[:10]]
    rows[3][3] = "2012.02.30"
    path = write_csv(tmp_path / "upload.csv", header, rows, encoding="gbk")
    client.force_login(users["admin"])
    with path.open("rb") as fh:
        resp = client.post(reverse("patents:import"), {"file": fh, "format": "auto", "mode": "lenient"})
    job = BackgroundJob.objects.get()
    assert resp.status_code == 302 and resp.url == reverse("core:job", args=[job.pk])
    assert job.status == "done", job.error
    run = ImportRun.objects.get()
    assert job.result["url"] == reverse("patents:import_detail", args=[run.pk])
    assert (run.created, run.rejected, run.created_by) == (9, 1, users["admin"])
    assert Patent.objects.count() == 9
    page = client.get(job.result["url"]).content.decode()
    assert "2012.02.30" in page and "下载错误报告" in page
    xlsx = client.get(reverse("patents:import_errors", args=[run.pk]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "upload.csv" in client.get(reverse("patents:import_history")).content.decode()
    # a non-staff user gets a Chinese refusal, never the page
    client.force_login(users["haier"])
    assert client.get(reverse("patents:import")).status_code == 403
    # bad input on the form is explained
    client.force_login(users["admin"])
    resp = client.post(
        reverse("patents:import"),
        {
            "file": (tmp_path / "x.pdf").open("wb+") and open(tmp_path / "x.pdf", "rb"),
            "format": "auto",
            "mode": "lenient",
        },
    )
    assert resp.status_code == 200


def test_staff_pages_render_and_export(patents_env, users, client, tmp_path, carrot_rows):
    from ipplatform.patents import services

    header, rows = carrot_rows
    services.import_file(path=write_csv(tmp_path / "a.csv", header, rows[:30]))
    client.force_login(users["admin"])
    assert "海安县建莲商品混凝土有限公司" in client.get(reverse("patents:applicants"), {"q": "建莲"}).content.decode()
    export = client.get(reverse("patents:applicants"), {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "未归属" in client.get(reverse("patents:unattributed")).content.decode()
    resp = client.post(
        reverse("patents:mapping_new"),
        {
            "name": "台账",
            "list_separator": ";",
            "source_label": "csv",
            "col_application_number": "申请号码",
            "col_title": "专利名称",
        },
    )
    assert resp.status_code == 302 and ColumnMapping.objects.get().columns == {
        "application_number": "申请号码",
        "title": "专利名称",
    }
    resp = client.post(reverse("patents:mapping_new"), {"name": "缺列", "list_separator": ";", "source_label": "csv"})
    assert "至少要指定" in resp.content.decode()
    # a city officer sees only applicants attributed to the city
    client.force_login(users["city370200"])
    assert "海安县建莲" not in client.get(reverse("patents:applicants")).content.decode()
