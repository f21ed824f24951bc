"""Open case time limits are recounted on the calendar as it stands: a date counted before a year's official
holidays were loaded moves once they are (simulated here by a holiday the fallback calendar did not know)."""

import datetime as dt

import pytest
from django.core.management import call_command

from ipplatform.core.models import AuditEvent
from ipplatform.protection import deadlines, services
from ipplatform.protection.models import CaseDeadline

pytestmark = pytest.mark.django_db


def test_an_open_deadline_moves_when_the_calendar_learns_a_holiday(make_case, monkeypatch):
    case = make_case(received_on=dt.date(2026, 2, 2))
    d = CaseDeadline.objects.filter(case=case, status="open", unit="wd").order_by("due").first()
    assert d is not None
    unchanged = {x.pk: x.due for x in CaseDeadline.objects.filter(case=case, status="open")}
    assert services.recompute_open_deadlines()["moved"] == 0  # nothing to do on the same calendar

    # the official arrangement now makes one working day inside the period a holiday
    real = deadlines.is_workday
    new_holiday = next(d.due - dt.timedelta(days=i) for i in range(1, 10) if real(d.due - dt.timedelta(days=i)))
    assert new_holiday > d.anchor
    monkeypatch.setattr(deadlines, "is_workday", lambda day: day != new_holiday and real(day))
    out = io_call()
    d.refresh_from_db()
    assert d.due > unchanged[d.pk] and "项期限的届满日按现行日历调整" in out
    event = AuditEvent.objects.filter(object_type="protection.casedeadline", object_id=str(d.pk)).order_by("-pk")
    assert event.exists() and str(unchanged[d.pk]) in str(event.first().before)


def io_call() -> str:
    import io

    out = io.StringIO()
    call_command("recompute_deadlines", stdout=out, verbosity=0)
    return out.getvalue()
