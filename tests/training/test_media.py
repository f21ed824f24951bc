"""HTTP range requests for stored video: 200 whole, 206 partial (first, middle, open-ended, suffix), 416 beyond the end;
access only for enrolled learners."""

import io
import zipfile

import pytest
from django.urls import reverse

from ipplatform.training import media, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(statute_course):
    return statute_course.chapters.get(order=1)


@pytest.fixture
def learner(client, users, statute_course):
    services.enrol(user=users["haier"], course=statute_course)
    client.force_login(users["haier"])
    return client


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(
    "header,size,expected",
    [
        ("bytes=0-99", 1000, (0, 99)),
        ("bytes=500-", 1000, (500, 999)),
        ("bytes=-100", 1000, (900, 999)),
        ("bytes=990-5000", 1000, (990, 999)),
        ("bytes=1000-", 1000, "unsatisfiable"),
        ("bytes=-0", 1000, "unsatisfiable"),
        ("", 1000, None),
        ("bytes=0-1,5-9", 1000, None),
        ("items=0-1", 1000, None),
        ("bytes=9-3", 1000, None),
    ],
)
def test_parse_range(header, size, expected):
    assert media.parse_range(header, size) == expected


def test_open_ended_range_is_capped():
    assert media.parse_range("bytes=0-", 100 * 1024 * 1024) == (0, media.MAX_RANGE - 1)


def test_whole_file_without_range(learner, video):
    r = learner.get(reverse("training:media", args=[video.pk]))
    data = _body(r)
    assert r.status_code == 200 and r["Accept-Ranges"] == "bytes"
    assert len(data) == video.file.size and data[4:8] == b"ftyp"


def test_partial_content(learner, video):
    size = video.file.size
    with video.file.open("rb") as f:
        f.seek(1000)
        expected = f.read(500)
    r = learner.get(reverse("training:media", args=[video.pk]), HTTP_RANGE="bytes=1000-1499")
    assert r.status_code == 206
    assert r["Content-Range"] == f"bytes 1000-1499/{size}" and r["Content-Length"] == "500"
    assert _body(r) == expected


def test_suffix_range_returns_the_tail(learner, video):
    size = video.file.size
    r = learner.get(reverse("training:media", args=[video.pk]), HTTP_RANGE="bytes=-10")
    assert r.status_code == 206 and r["Content-Range"] == f"bytes {size - 10}-{size - 1}/{size}" and len(_body(r)) == 10


def test_unsatisfiable_range(learner, video):
    size = video.file.size
    r = learner.get(reverse("training:media", args=[video.pk]), HTTP_RANGE=f"bytes={size}-")
    assert r.status_code == 416 and r["Content-Range"] == f"bytes */{size}"


def test_media_needs_enrolment_and_login(client, users, video):
    url = reverse("training:media", args=[video.pk])
    assert client.get(url).status_code == 302
    client.force_login(users["sdu"])
    assert client.get(url).status_code == 403


def test_office_preview_falls_back_without_libreoffice(monkeypatch, tmp_path):
    monkeypatch.setattr(media, "libreoffice", lambda: None)
    source = tmp_path / "a.docx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    source.write_bytes(buf.getvalue())
    assert media.convert_to_pdf(source) is None


def test_pdf_chapter_previews_inline(client, users, media):
    from ipplatform.training import demo

    course = demo.create_plan_course(by=users["admin"])
    chapter = course.chapters.get(kind="document")
    services.assign(
        by=users["admin"],
        course=course,
        target_kind="role",
        target_value="city_officer",
        deadline=__import__("django.utils.timezone", fromlist=["x"]).localdate(),
    )
    client.force_login(users["city370200"])
    page = client.get(reverse("training:chapter", args=[chapter.pk])).content.decode()
    assert reverse("training:preview", args=[chapter.pk]) in page
    r = client.get(reverse("training:preview", args=[chapter.pk]))
    body = _body(r)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r["Content-Disposition"] == "inline"
    assert body.startswith(b"%PDF") and body.count(b"/Type /Page") >= 2
    client.force_login(users["haier"])  # not assigned: the course is assigned-only
    assert client.get(reverse("training:preview", args=[chapter.pk])).status_code == 403


SOFFICE_MISSING = (
    "LibreOffice (soffice) is not installed here: scripts/setup.sh installs libreoffice-writer-nogui and "
    "libreoffice-impress-nogui for the run mode only"
)


def _docx(text: str) -> bytes:
    from ipplatform.lib import worddoc

    doc = worddoc.new_document("专利法基础讲义", subtitle="演示数据")
    doc.add_paragraph(text)
    return worddoc.to_bytes(doc)


@pytest.mark.skipif(media.libreoffice() is None, reason=SOFFICE_MISSING)
def test_office_document_converts_to_pdf_with_libreoffice(tmp_path):
    source = tmp_path / "讲义.docx"
    source.write_bytes(_docx("发明专利权的期限为二十年，自申请日起计算。"))
    pdf = media.convert_to_pdf(source)
    assert pdf is not None and pdf.startswith(b"%PDF") and pdf.count(b"/Type/Page") + pdf.count(b"/Type /Page") >= 1
    assert (
        b"Noto" in pdf or b"CJK" in pdf or b"WenQuanYi" in pdf or b"Droid" in pdf
    )  # a CJK font was embedded for the Chinese text


@pytest.mark.skipif(media.libreoffice() is None, reason=SOFFICE_MISSING)
def test_word_chapter_previews_as_pdf_once(client, users, media, monkeypatch):
    from django.core.files.base import ContentFile

    from ipplatform.training.models import Chapter, Course

    course = Course.objects.create(title="讲义课程", published=True)
    chapter = Chapter(course=course, order=1, title="讲义", kind="document", file_name="讲义.docx")
    chapter.file.save("讲义.docx", ContentFile(_docx("实用新型专利权的期限为十年。")), save=True)
    services.enrol(user=users["haier"], course=course)
    client.force_login(users["haier"])
    r = client.get(reverse("training:preview", args=[chapter.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and _body(r).startswith(b"%PDF")
    chapter.refresh_from_db()
    assert chapter.preview_pdf  # cached: the second request does not convert again
    from ipplatform.training import media as media_module

    monkeypatch.setattr(media_module, "convert_to_pdf", lambda *a, **k: pytest.fail("converted twice"))
    assert client.get(reverse("training:preview", args=[chapter.pk])).status_code == 200
