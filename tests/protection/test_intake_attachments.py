"""12330 attachments: type by content, size capped, stored with SHA-256, shown to the handling officers only."""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ipplatform.core.models import AuditEvent
from ipplatform.protection import services
from ipplatform.protection.models import Intake, IntakeAttachment

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(200))
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
FORM = {
    "kind": "complaint",
    "subject": "网店销售仿冒我司专利的电水壶",
    "description": "见附件截图和购买凭证",
    "requester_name": "张先生",
    "requester_phone": "13912345678",
    "respondent_name": "某小家电网店",
    "respondent_address": "山东省青岛市黄岛区长江路1号",
}


def _submit(client, *files):
    response = client.post("/protection/intake/", {**FORM, "attachments": list(files)}, follow=True)
    return response.content.decode()


def test_files_stored_with_digest_officer_downloads_public_sees_names(client, users, make_case):
    page = _submit(client, SimpleUploadedFile("商品页截图.png", PNG), SimpleUploadedFile("购买凭证.pdf", PDF))
    tracking_no = re.search(r'id="tracking-no">(\d+)<', page).group(1)
    code = re.search(r'id="tracking-code">(\w+)<', page).group(1)
    intake = Intake.objects.get(tracking_no=tracking_no)
    files = list(intake.attachments.all())
    assert [(f.seq, f.file_name, f.mime) for f in files] == [
        (1, "商品页截图.png", "image/png"),
        (2, "购买凭证.pdf", "application/pdf"),
    ]
    assert files[0].file_hash == hashlib.sha256(PNG).hexdigest() and files[0].size == len(PNG)

    track = client.post("/protection/track/", {"tracking_no": tracking_no, "code": code}).content.decode()
    assert "商品页截图.png" in track and "购买凭证.pdf" in track
    assert files[0].file_hash[:16] not in track and f"/protection/intake-files/{files[0].pk}/" not in track
    api = client.post("/api/v1/protection/track/", {"tracking_no": tracking_no, "code": code}, "application/json")
    assert api.json()["attachments"] == ["商品页截图.png", "购买凭证.pdf"]
    assert client.get(f"/protection/intake-files/{files[0].pk}/").status_code == 302  # to the login page

    client.force_login(users["public"])
    assert client.get(f"/protection/intake-files/{files[0].pk}/").status_code == 403
    client.force_login(users["city370100"])  # another city's bureau
    assert client.get(f"/protection/intake-files/{files[0].pk}/").status_code == 403

    client.force_login(users["city370200"])
    detail = client.get(f"/protection/intakes/{intake.pk}/").content.decode()
    assert f"/protection/intake-files/{files[0].pk}/" in detail and files[0].file_hash[:16] in detail
    response = client.get(f"/protection/intake-files/{files[0].pk}/")
    assert b"".join(response.streaming_content) == PNG
    assert AuditEvent.objects.filter(action="export", reason__contains="商品页截图.png").exists()

    case = services.convert_intake(intake=intake, by=users["city370200"], case_type="infringement", reason="材料齐全")
    page = client.get(f"/protection/cases/{case.pk}/?tab=evidence").content.decode()
    assert "请求人提交的附件" in page and f"/protection/intake-files/{files[1].pk}/" in page


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("照片.jpg", b"MZ\x90\x00" + b"\x00" * 100), "Windows可执行程序"),
        (SimpleUploadedFile("录音.mp3", b"ID3\x03\x00" + b"\x00" * 100), "此处不接受这种类型"),
        (SimpleUploadedFile("空.png", b""), "是空文件"),
    ],
)
def test_content_not_extension_decides_and_nothing_is_saved(client, users, upload, message):
    page = _submit(client, upload)
    assert message in page and "附件仅接受照片、截图、PDF、Word/Excel和纯文本文件" in page
    assert not Intake.objects.exists() and not IntakeAttachment.objects.exists()


def test_size_and_count_are_capped(client, users, settings):
    settings.PROTECTION_INTAKE_MAX_BYTES = 100
    page = _submit(client, SimpleUploadedFile("大图.png", PNG))
    assert "超过上限" in page and "第1个附件“大图.png”" in page
    settings.PROTECTION_INTAKE_MAX_BYTES = 10 * 1024 * 1024
    page = _submit(client, *[SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(6)])
    assert "附件最多5个，您选择了6个" in page
    assert not Intake.objects.exists()
