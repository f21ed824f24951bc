"""NUL bytes in multipart forms (page uploads and the API): refused with the Chinese 400 that names the field,
after the CSRF check and without taking the upload away from the view."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

pytestmark = pytest.mark.django_db


def _admin(users):
    c = Client(raise_request_exception=False)
    c.force_login(users["admin"])
    return c


def _csv(name="专利.csv"):
    return SimpleUploadedFile(name, "申请号,名称\n".encode(), content_type="text/csv")


def test_a_nul_byte_in_a_page_upload_form_field_is_refused_with_its_name(users):
    r = _admin(users).post("/patents/import/", {"mode": "a\x00b", "file": _csv()})
    assert r.status_code == 400 and "表单字段“mode”含有空字符" in r.content.decode()


def test_a_page_upload_form_without_nul_reaches_the_view(users):
    r = _admin(users).post("/patents/import/", {"mode": "不存在的方式", "file": _csv()})
    assert r.status_code == 200 and "含有空字符" not in r.content.decode()  # the form's own error, the file still there


def test_a_nul_byte_in_a_page_upload_is_refused_after_the_csrf_check(users):
    c = Client(enforce_csrf_checks=True, raise_request_exception=False)
    c.force_login(users["admin"])
    assert c.post("/patents/import/", {"mode": "a\x00b", "file": _csv()}).status_code == 403


def test_a_nul_byte_in_an_api_multipart_field_is_refused_with_its_name():
    r = Client(raise_request_exception=False).post("/api/v1/protection/track/", {"tracking_no": "WQ\x00", "code": "1"})
    assert r.status_code == 400 and r.json()["field"] == "tracking_no" and "含有空字符" in r.json()["error"]


def test_an_api_multipart_field_without_nul_reaches_the_view():
    r = Client(raise_request_exception=False).post("/api/v1/protection/track/", {"tracking_no": "WQ-0", "code": "1"})
    assert r.status_code in (400, 404) and "含有空字符" not in r.json()["error"]


def test_a_nul_byte_in_a_multipart_field_name_is_refused():
    r = Client(raise_request_exception=False).post("/api/v1/protection/track/", {"tracking\x00no": "x"})
    assert r.status_code == 400 and "tracking\\x00no" in r.json()["error"]


def test_control_characters_never_reach_the_view_in_an_upload_name(users, monkeypatch):
    """Django's parser drops them from the name; the middleware refuses a name that still has one."""
    from ipplatform.patents import views

    seen = []
    original = views.UploadForm

    def spy(data=None, files=None, *args, **kwargs):
        if files:
            seen.extend(f.name for f in files.values())
        return original(data, files, *args, **kwargs)

    monkeypatch.setattr(views, "UploadForm", spy)
    _admin(users).post("/patents/import/", {"mode": "x", "file": _csv("a\x00b\x1b.csv")})
    assert seen == ["ab.csv"]


def test_an_upload_name_with_a_control_character_is_refused():
    from django.core.files.uploadedfile import SimpleUploadedFile as Upload
    from django.http import QueryDict
    from django.test import RequestFactory
    from django.utils.datastructures import MultiValueDict

    from ipplatform.core.middleware import InputErrorMiddleware

    # as another parser (one that keeps names as sent) would leave the request
    request = RequestFactory().post("/api/v1/protection/track/", {"code": "1"})
    request._post, request._files = QueryDict("code=1"), MultiValueDict({"file": [Upload("a\x07b.csv", b"x")]})
    response = InputErrorMiddleware(lambda r: None).process_view(request, None, (), {})
    assert response.status_code == 400 and "文件名含有控制字符" in response.content.decode()


def test_a_malformed_multipart_body_is_a_chinese_400():
    body = b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1'  # never closed
    r = Client(raise_request_exception=False).post(
        "/api/v1/protection/track/", body, content_type="multipart/form-data; boundary="
    )
    assert r.status_code == 400


def test_a_form_sent_to_a_view_that_reads_a_json_body_is_a_400_not_a_500():
    """The form was parsed before the view (CSRF check, NUL check): reading request.body then raises."""
    from django.http.request import RawPostDataException
    from django.test import RequestFactory

    from ipplatform.core.middleware import InputErrorMiddleware

    request = RequestFactory().post("/training/chapters/1/progress/", {"start": "1"})
    response = InputErrorMiddleware(lambda r: None).process_exception(request, RawPostDataException())
    assert response.status_code == 400 and "需要JSON请求体" in response.content.decode()
