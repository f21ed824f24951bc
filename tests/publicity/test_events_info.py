"""Events with registration and attendance; 政务信息报送 with adoption counts per unit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from ipplatform.core.inputs import InputError
from ipplatform.publicity import services
from ipplatform.publicity.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(users):
    start = timezone.now() + dt.timedelta(days=10)
    return Event.objects.create(
        kind="ip_week",
        title="宣传周讲座",
        city_code="370200",
        place="青岛",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        registration_deadline=start - dt.timedelta(days=1),
        capacity=2,
        organizer=users["city370200"].organization,
        created_by=users["city370200"],
    )


def test_registration_rules(event):
    r = services.register(event=event, name="张三", phone="13800000001")
    assert r.code.startswith("HD")
    with pytest.raises(InputError, match="已报名"):
        services.register(event=event, name="张三", phone="13800000001")
    with pytest.raises(InputError, match="11位"):
        services.register(event=event, name="李四", phone="12345")
    services.register(event=event, name="李四", phone="13800000002")
    with pytest.raises(InputError, match="名额已满"):
        services.register(event=event, name="王五", phone="13800000003")


def test_registration_closes_at_the_deadline(event, monkeypatch):
    monkeypatch.setattr(services, "now", lambda: event.registration_deadline + dt.timedelta(seconds=1))
    with pytest.raises(InputError, match="截止"):
        services.register(event=event, name="张三", phone="13800000001")


def test_anonymous_registration_page_and_check_in(client, users, event):
    r = client.post(
        reverse("publicity:event", args=[event.pk]), {"name": "张三", "phone": "13800000001", "organization": "某公司"}
    )
    assert "报名成功" in r.content.decode()
    reg = event.registrations.get()
    with pytest.raises(PermissionDenied):
        services.check_in(user=users["city370100"], registration=reg)  # another city
    services.check_in(user=users["city370200"], registration=reg)
    reg.refresh_from_db()
    assert reg.attended and reg.checked_in_at


def test_information_items_and_adoption_counts(users):
    a = services.submit_info(
        user=users["city370200"], title="青岛信息一", body="这是一条长度超过二十个字的政务信息内容，用于测试。"
    )
    b = services.submit_info(
        user=users["city370200"], title="青岛信息二", body="这是另一条长度超过二十个字的政务信息内容，用于测试。"
    )
    c = services.submit_info(
        user=users["fawu"], title="执法信息", body="法律事务处报送的政务信息，长度超过二十个字，用于测试。"
    )
    with pytest.raises(PermissionDenied):
        services.submit_info(user=users["haier"], title="x", body="y" * 30)
    with pytest.raises(InputError, match="不少于20字"):
        services.submit_info(user=users["city370200"], title="短", body="太短")
    with pytest.raises(PermissionDenied):
        services.decide_info(user=users["xinxi"], item=a, adopt=True, level="office")
    with pytest.raises(InputError, match="采用级别"):
        services.decide_info(user=users["bangongshi"], item=a, adopt=True)
    services.decide_info(user=users["bangongshi"], item=a, adopt=True, level="national")
    services.decide_info(user=users["bangongshi"], item=b, adopt=False)
    services.decide_info(user=users["leader"], item=c, adopt=True, level="office")
    year = timezone.localdate().year
    rows = {r["unit"]: r for r in services.adoption_counts(user=users["leader"], year=year)}
    qd = rows[users["city370200"].organization.name]
    assert (qd["submitted"], qd["adopted"], qd["national"], qd["rate"]) == (2, 1, 1, 50.0)
    assert rows[users["fawu"].organization.name]["office"] == 1
    own = services.adoption_counts(user=users["city370200"], year=year)
    assert [r["unit"] for r in own] == [users["city370200"].organization.name]
