import io
import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from openpyxl import load_workbook

from ipplatform.core.labels import person_label
from ipplatform.core.models import AuditEvent


def _login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def test_lockout_after_five_failures_for_ten_minutes(users, password, settings):
    client = Client()
    for _ in range(5):
        r = _login(client, "fawu", "wrong-Password1")
        assert r.status_code in (200, 429)
    r = _login(client, "fawu", password)  # the right password no longer helps
    assert r.status_code == 429 and "锁定10分钟" in r.content.decode()
    assert AuditEvent.objects.filter(action="login_failed", actor_name="fawu").count() >= 5
    from axes.utils import reset

    reset(username="fawu")  # an administrator unlocks (or 10 minutes pass)
    r = _login(client, "fawu", password)
    assert r.status_code == 302


def test_failed_login_message_in_chinese(users):
    r = _login(Client(), "fawu", "wrong-Password1")
    assert "用户名或密码错误" in r.content.decode()


@pytest.mark.parametrize(
    "pw, ok",
    [
        ("Qilu#2015x", True),
        ("sd.ip7pat", True),
        ("Abc#12", False),
        ("abcdefgh", False),
        ("abcd1234", False),
        ("ABCD#EFG", False),
    ],
)
def test_password_policy(pw, ok, db):
    if ok:
        validate_password(pw)
    else:
        with pytest.raises(ValidationError):
            validate_password(pw)


def test_login_logout_audited_with_ip(users, password):
    client = Client(REMOTE_ADDR="10.1.2.3")
    assert _login(client, "guihua", password).status_code == 302
    client.post("/logout/")
    login = AuditEvent.objects.filter(action="login", actor_name="guihua").last()
    assert login.ip == "10.1.2.3"
    assert AuditEvent.objects.filter(action="logout", actor_name="guihua").exists()


def test_idle_timeout(users, password, settings):
    settings.SESSION_IDLE_TIMEOUT = 1
    client = Client()
    _login(client, "guihua", password)
    assert client.get("/").status_code == 200
    session = client.session
    session["last_activity"] = int(time.time()) - 5
    session.save()
    r = client.get("/")
    assert r.status_code == 302 and "timeout=1" in r["Location"]


def test_csrf_enforced(users, password):
    client = Client(enforce_csrf_checks=True)
    r = client.post("/login/", {"username": "guihua", "password": password})
    assert r.status_code == 403


def test_secure_headers(db):
    r = Client().get("/login/")
    assert r["X-Frame-Options"] == "DENY"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Referrer-Policy"] == "same-origin"


def test_audit_page_for_admin_only_with_filters_and_export(users, password):
    admin, city = Client(), Client()
    _login(admin, "admin", password)
    _login(city, "city370200", password)
    assert city.get("/audit/").status_code == 403
    r = admin.get("/audit/", {"user": "city370200", "action": "login"})
    assert r.status_code == 200 and "city370200" in r.content.decode()
    r = admin.get("/audit/", {"date_from": "2025-13-01"})
    assert r.status_code == 200 and "格式不正确" in r.content.decode()
    r = admin.get("/audit/", {"user": "city370200", "export": "xlsx"})
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    # people by real name and unit (core.labels.person_label), the login name only where no name is on file
    assert rows[0][0] == "序号" and any(row[2] == person_label(users["city370200"]) for row in rows[1:])
    assert "city370200" not in {row[2] for row in rows[1:]}
    assert AuditEvent.objects.filter(action="export", actor_name="admin").exists()


def test_home_shows_only_what_the_role_may_use(users, password):
    admin, public = Client(), Client()
    _login(admin, "admin", password)
    _login(public, "public", password)
    admin_home = admin.get("/").content.decode()
    public_home = public.get("/").content.decode()
    assert "审计日志" in admin_home and "机构与用户" in admin_home
    assert "审计日志" not in public_home and "IPC分类表" in public_home
    assert "本人" in public_home and "全省" in admin_home


def test_anonymous_home_redirects_to_login(db):
    r = Client().get("/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")


def test_city_bureau_lands_on_its_own_city(users, password):
    client = Client()
    r = _login(client, "city371200", password)
    assert r.status_code == 302 and r["Location"] == "/stats/my-city/"
    r = client.get(r["Location"])
    assert r.status_code == 302 and r["Location"].startswith("/city/371200/")
    r = _login(Client(), "guihua", password)
    assert r["Location"] == "/"
