"""On-site training classes: attendance credits hours (and withdrawing it removes them); statistics by city."""

import datetime as dt

import pytest
from django.urls import reverse

from ipplatform.training import stats
from ipplatform.training.models import Attendance, TrainingClass, TrainingRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def training_class(users):
    return TrainingClass.objects.create(
        title="专利执法能力提升班",
        category="enforcement",
        city_code="370200",
        start_date=dt.date(2026, 5, 11),
        end_date=dt.date(2026, 5, 13),
        hours=16,
        organizer=users["fawu"].organization,
        created_by=users["fawu"],
    )


def test_attendance_credits_hours(client, users, training_class):
    client.force_login(users["fawu"])
    url = reverse("training:class", args=[training_class.pk])
    r = client.post(url, {"add": "city370200, huangdao，nosuchuser"})
    assert r.status_code == 302
    assert set(Attendance.objects.values_list("user__username", flat=True)) == {"city370200", "huangdao"}
    present = Attendance.objects.get(user__username="huangdao")
    client.post(url, {"mark": "1", "present": [str(present.pk)]})
    record = TrainingRecord.objects.get()
    assert (record.user.username, record.hours, record.year, record.source) == ("huangdao", 16, 2026, "class")
    rows = {c["name"]: c for c in stats.by_city(user=users["leader"], year=2026)}
    assert rows["青岛市"]["class"] == 16 and rows["青岛市"]["people"] == 1
    client.post(url, {"mark": "1"})  # attendance withdrawn
    assert not TrainingRecord.objects.exists()


def test_classes_are_scoped(client, users, training_class):
    client.force_login(users["city370100"])
    assert client.get(reverse("training:class", args=[training_class.pk])).status_code == 403
    client.force_login(users["city370200"])
    r = client.get(reverse("training:class", args=[training_class.pk]))
    assert r.status_code == 200
    assert client.post(reverse("training:class", args=[training_class.pk]), {"add": "haier"}).status_code == 403
