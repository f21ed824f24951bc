"""Pages: catalogue, learning page (no inline scripts), the progress endpoint, certificates and the public
verification page, records with Excel export, scopes."""

import io
import json
import re

import openpyxl
import pytest
from django.urls import reverse

from ipplatform.training import exams, services
from ipplatform.training.models import Certificate

pytestmark = pytest.mark.django_db


def test_catalogue_filters_by_audience(client, users, statute_course):
    client.force_login(users["haier"])
    r = client.get(reverse("training:index"), {"audience": "enterprise"})
    assert statute_course.title in r.content.decode()
    r = client.get(reverse("training:index"), {"audience": "enforcement"})
    assert statute_course.title not in r.content.decode()


def test_learning_page_has_no_inline_script(client, users, statute_course):
    services.enrol(user=users["haier"], course=statute_course)
    client.force_login(users["haier"])
    html = client.get(reverse("training:chapter", args=[statute_course.chapters.get(order=1).pk])).content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs, _ in scripts)
    assert "training/player.js" in html


def test_text_chapter_markdown_is_sanitised(client, users, statute_course):
    statute_course.no_skip = False
    statute_course.save()
    chapter = statute_course.chapters.get(order=2)
    chapter.body = "**第一条** <script>alert(1)</script> [x](javascript:alert(1))"
    chapter.save()
    services.enrol(user=users["haier"], course=statute_course)
    client.force_login(users["haier"])
    html = client.get(reverse("training:chapter", args=[chapter.pk])).content.decode()
    assert "<strong>第一条</strong>" in html and "alert(1)</script>" not in html and "javascript:" not in html


def test_progress_endpoint(client, users, statute_course, clock):
    services.enrol(user=users["haier"], course=statute_course)
    video = statute_course.chapters.get(order=1)
    client.force_login(users["haier"])
    client.get(reverse("training:chapter", args=[video.pk]))
    clock.advance(5)
    url = reverse("training:progress", args=[video.pk])
    r = client.post(url, json.dumps({"start": 0, "end": 5, "position": 5}), content_type="application/json")
    assert r.status_code == 200 and r.json()["frontier"] == 5
    r = client.post(url, "not json", content_type="application/json")
    assert r.status_code == 400 and "JSON" in r.json()["error"]
    r = client.post(url, json.dumps({"start": "x"}), content_type="application/json")
    assert r.status_code == 400 and r.json()["field"] == "start"
    client.force_login(users["sdu"])
    assert client.post(url, "{}", content_type="application/json").status_code == 403


def _certificate(users, statute_course):
    exam = statute_course.exams.get()
    exam.require_course = False
    exam.save()
    return exams.issue_certificate(user=users["haier"], course=statute_course)


def test_certificate_downloads_and_scope(client, users, statute_course):
    cert = _certificate(users, statute_course)
    client.force_login(users["haier"])
    pdf = client.get(reverse("training:certificate", args=[cert.code, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    docx = client.get(reverse("training:certificate", args=[cert.code, "docx"]))
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs) + "".join(
        c.text for t in Document(io.BytesIO(docx.content)).tables for row in t.rows for c in row.cells
    )
    assert cert.code in text and "结业证书" in text
    client.force_login(users["sdu"])
    assert client.get(reverse("training:certificate", args=[cert.code, "pdf"])).status_code == 403


def test_public_verification(client, users, statute_course):
    cert = _certificate(users, statute_course)
    r = client.get(reverse("training:verify"), {"code": cert.code.lower()})
    html = r.content.decode()
    assert r.status_code == 200 and "证书真实有效" in html and statute_course.title in html
    assert cert.holder_name not in html or len(cert.holder_name) <= 1
    r = client.get(reverse("training:verify"), {"code": "SDIP-AAAA-AAAA"})
    assert "不存在" in r.content.decode()
    Certificate.objects.filter(pk=cert.pk).update(revoked=True)
    assert "已撤销" in client.get(reverse("training:verify"), {"code": cert.code}).content.decode()


def test_mask_name():
    assert (
        exams.mask_name("张三") == "张*" and exams.mask_name("欧阳明月") == "欧**月" and exams.mask_name("王") == "王"
    )


def test_records_scope_and_export(client, users, statute_course, clock):
    from django.utils import timezone

    from ipplatform.training.models import TrainingRecord

    year = timezone.localdate().year
    for name in ("haier", "qilu_ent"):
        TrainingRecord.objects.create(
            user=users[name],
            year=year,
            date=timezone.localdate(),
            category="agent_ce",
            source="online",
            hours=2,
            course=statute_course,
            title=statute_course.title,
        )
    client.force_login(users["city370200"])  # 青岛: sees haier (Qingdao), not 齐鲁新材料 (Jinan)
    html = client.get(reverse("training:records")).content.decode()
    assert users["haier"].display_name in html and users["qilu_ent"].display_name not in html
    r = client.get(reverse("training:records"), {"export": "xlsx", "year": year})
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert {"个人学时", "按城市", "按单位", "按课程", "学时明细"} <= set(wb.sheetnames)
    client.force_login(users["haier"])
    assert client.get(reverse("training:records")).status_code == 403


def test_manager_pages_refuse_learners(client, users):
    client.force_login(users["haier"])
    assert client.get(reverse("training:manage")).status_code == 403
    assert client.get(reverse("training:course_new")).status_code == 403
    client.force_login(users["xinxi"])
    assert client.get(reverse("training:manage")).status_code == 200


def _assign(client, users, **post):
    client.force_login(users["xinxi"])
    data = {"target_kind": "city", "target_value": "370200", **post}
    return client.post(reverse("training:assign"), data, follow=True)


def test_assigning_without_a_course_says_so_on_the_manage_page(client, users):
    r = _assign(client, users, course="", deadline="2030-01-31")
    assert r.redirect_chain[-1][0] == reverse("training:manage") and "请选择要指派的课程" in r.content.decode()


def test_assigning_with_a_bad_deadline_names_the_field(client, users, statute_course):
    r = _assign(client, users, course=str(statute_course.pk), deadline="2030-02-30")
    assert "完成期限“2030-02-30”不是有效日期" in r.content.decode()
