"""学习任务 deadline reminders: learners within 3 calendar days, learners and assigners once overdue, each only once."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from ipplatform.core.models import Notification
from ipplatform.training import services
from ipplatform.training.enums import EnrolState


@pytest.fixture
def course(users):
    from ipplatform.training.models import Course

    return Course.objects.create(title="专利法基础", published=True)


def _task(users, course, deadline):
    a = services.assign(
        by=users["xinxi"],
        course=course,
        target_kind="role",
        target_value="agency_user",
        deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    e = a.enrolments.get(user=users["agency"])
    e.deadline = deadline
    e.save(update_fields=["deadline"])
    Notification.objects.all().delete()  # the assignment notice itself
    return e


def _titles(user):
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_reminder_window_counts_calendar_days_across_month_end(users, course):
    e = _task(users, course, dt.date(2027, 3, 1))
    # 2027 is not a leap year: 26 Feb → 1 Mar is 3 days, inside the window
    assert services.send_deadline_reminders(today=dt.date(2027, 2, 25)) == {"due": 0, "overdue": 0, "managers": 0}
    assert services.send_deadline_reminders(today=dt.date(2027, 2, 26)) == {"due": 1, "overdue": 0, "managers": 0}
    n = Notification.objects.get(user=users["agency"])
    assert "即将到期" in n.title and "2027年03月01日" in n.body and "还剩3天" in n.body
    # the same reminder is not sent twice, on the same day or the next
    assert services.send_deadline_reminders(today=dt.date(2027, 2, 26))["due"] == 0
    assert services.send_deadline_reminders(today=dt.date(2027, 3, 1))["due"] == 0
    assert _titles(users["xinxi"]) == []

    # 2028 is a leap year: 26 Feb → 1 Mar is 4 days, outside the window
    e.deadline = dt.date(2028, 3, 1)
    e.save(update_fields=["deadline"])
    assert services.send_deadline_reminders(today=dt.date(2028, 2, 26))["due"] == 0
    assert services.send_deadline_reminders(today=dt.date(2028, 2, 27))["due"] == 1  # a new deadline is a new reminder


def test_overdue_tells_the_learner_and_the_assigner_once(users, course):
    _task(users, course, dt.date(2026, 12, 31))
    assert services.send_deadline_reminders(today=dt.date(2026, 12, 31)) == {"due": 1, "overdue": 0, "managers": 0}
    assert "今天到期" in Notification.objects.get(user=users["agency"]).body
    assert services.send_deadline_reminders(today=dt.date(2027, 1, 1)) == {"due": 0, "overdue": 1, "managers": 1}
    assert services.send_deadline_reminders(today=dt.date(2027, 1, 5)) == {"due": 0, "overdue": 0, "managers": 0}
    (to_manager,) = _titles(users["xinxi"])
    assert "逾期未完成" in to_manager and (users["agency"].get_full_name() or users["agency"].username) in to_manager
    assert any("已逾期" in t for t in _titles(users["agency"]))


def test_completed_and_other_learners_are_not_reminded(users, course):
    e = _task(users, course, dt.date(2027, 1, 10))
    e.state = EnrolState.COMPLETED
    e.save(update_fields=["state"])
    assert services.send_deadline_reminders(today=dt.date(2027, 1, 9)) == {"due": 0, "overdue": 0, "managers": 0}
    assert services.send_deadline_reminders(today=dt.date(2027, 1, 11)) == {"due": 0, "overdue": 0, "managers": 0}
    assert not Notification.objects.exists()


def test_command_runs_the_reminders(users, course):
    from io import StringIO

    _task(users, course, timezone.localdate() + dt.timedelta(days=1))
    out = StringIO()
    call_command("training_reminders", stdout=out)
    assert "即将到期提醒1条" in out.getvalue()
    assert Notification.objects.filter(user=users["agency"], title__contains="即将到期").count() == 1
