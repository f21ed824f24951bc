"""Enrolment modes, approval, 学习任务 with deadlines (overdue, late completion), and accounts created later."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ipplatform.core.inputs import InputError
from ipplatform.training import services
from ipplatform.training.enums import EnrolMode, EnrolState

pytestmark = pytest.mark.django_db


def test_open_enrolment_is_active(users, statute_course):
    assert services.enrol(user=users["haier"], course=statute_course).state == EnrolState.ACTIVE


def test_approval_enrolment_waits_for_a_manager(users, statute_course):
    statute_course.enrol_mode = EnrolMode.APPROVAL
    statute_course.save()
    e = services.enrol(user=users["haier"], course=statute_course)
    assert e.state == EnrolState.PENDING
    with pytest.raises(PermissionDenied):
        services.decide_enrolment(by=users["haier"], enrolment=e, approve=True)
    assert services.decide_enrolment(by=users["xinxi"], enrolment=e, approve=True).state == EnrolState.ACTIVE


def test_assigned_only_course_refuses_self_enrolment(users, statute_course):
    statute_course.enrol_mode = EnrolMode.ASSIGNED
    statute_course.save()
    with pytest.raises(InputError, match="仅限学习任务"):
        services.enrol(user=users["haier"], course=statute_course)


def test_enrolment_closes_after_the_course_deadline(users, statute_course):
    statute_course.enrol_deadline = dt.date(2026, 3, 31)
    statute_course.save()
    with pytest.raises(InputError, match="2026年03月31日截止"):
        services.enrol(user=users["haier"], course=statute_course, today=dt.date(2026, 4, 1))
    assert (
        services.enrol(user=users["haier"], course=statute_course, today=dt.date(2026, 3, 31)).state
        == EnrolState.ACTIVE
    )


def test_assignment_to_a_city_reaches_its_users_only(users, statute_course):
    deadline = timezone.localdate() + dt.timedelta(days=10)
    a = services.assign(
        by=users["xinxi"], course=statute_course, target_kind="city", target_value="370200", deadline=deadline
    )
    reached = set(a.enrolments.values_list("user__username", flat=True))
    assert "city370200" in reached and "huangdao" in reached and "haier" in reached
    assert "city370100" not in reached and "admin" not in reached
    assert a.target_label == "青岛市"
    from ipplatform.core.models import Notification

    assert Notification.objects.filter(user=users["haier"], title__contains=statute_course.title).count() == 1


def test_assignment_by_role_and_bad_targets(users, statute_course):
    deadline = timezone.localdate() + dt.timedelta(days=10)
    a = services.assign(
        by=users["admin"], course=statute_course, target_kind="role", target_value="agency_user", deadline=deadline
    )
    assert set(a.enrolments.values_list("user__username", flat=True)) == {"agency"}
    with pytest.raises(InputError, match="角色"):
        services.assign(
            by=users["admin"], course=statute_course, target_kind="role", target_value="nobody", deadline=deadline
        )
    with pytest.raises(InputError, match="市级区划代码"):
        services.assign(
            by=users["admin"], course=statute_course, target_kind="city", target_value="370211", deadline=deadline
        )
    with pytest.raises(InputError, match="不能早于今天"):
        services.assign(
            by=users["admin"],
            course=statute_course,
            target_kind="role",
            target_value="agency_user",
            deadline=timezone.localdate() - dt.timedelta(days=1),
        )
    with pytest.raises(PermissionDenied):
        services.assign(
            by=users["city370200"],
            course=statute_course,
            target_kind="role",
            target_value="agency_user",
            deadline=deadline,
        )


def test_deadline_status(users, statute_course):
    deadline = dt.date(2026, 6, 30)
    e = services.enrol(user=users["haier"], course=statute_course)
    e.deadline = deadline
    e.save()
    assert services.deadline_status(e, today=dt.date(2026, 6, 20)) == "剩余10天"
    assert services.deadline_status(e, today=dt.date(2026, 6, 30)) == "剩余0天"
    assert services.deadline_status(e, today=dt.date(2026, 7, 1)) == "已逾期"


def test_completion_after_the_deadline_is_marked_late(users, statute_course, clock):
    statute_course.chapters.exclude(order=3).delete()
    e = services.enrol(user=users["haier"], course=statute_course)
    e.deadline = timezone.localdate() - dt.timedelta(days=1)
    e.save()
    chapter = statute_course.chapters.get()
    services.start_chapter(user=users["haier"], chapter=chapter)
    services.report_progress(user=users["haier"], chapter=chapter)
    for _ in range(4):
        clock.advance(10)
        services.report_progress(user=users["haier"], chapter=chapter)
    e.refresh_from_db()
    assert e.state == EnrolState.COMPLETED and e.completed_late
    assert services.deadline_status(e) == "逾期完成"


def test_accounts_created_later_pick_up_open_tasks(users, statute_course, orgs):
    from ipplatform.core.enums import Role
    from ipplatform.core.models import User

    deadline = timezone.localdate() + dt.timedelta(days=5)
    services.assign(
        by=users["admin"],
        course=statute_course,
        target_kind="organization",
        target_value=str(orgs["haier"].pk),
        deadline=deadline,
    )
    newcomer = User.objects.create(username="haier2", role=Role.ENTERPRISE_USER, organization=orgs["haier"])
    enrolments = list(services.my_enrolments(user=newcomer))
    assert [(e.course_id, e.deadline) for e in enrolments] == [(statute_course.pk, deadline)]


def _city_assignment(users, course, city):
    deadline = timezone.localdate() + dt.timedelta(days=10)
    return services.assign(by=users["xinxi"], course=course, target_kind="city", target_value=city, deadline=deadline)


def _new_user_of(org, username):
    from ipplatform.core.models import User

    return User.objects.create(username=username, role="county_officer", organization=org)


def test_an_account_created_later_in_a_county_joins_its_citys_assignment(users, statute_course):
    a = _city_assignment(users, statute_course, "370200")
    late = _new_user_of(users["huangdao"].organization, "huangdao_new")
    assert services.sync_assignments(user=late) == 1
    assert a.enrolments.filter(user=late).exists()


def test_an_account_created_later_in_another_city_does_not_join(users, statute_course):
    _city_assignment(users, statute_course, "370200")
    assert services.sync_assignments(user=_new_user_of(users["city370100"].organization, "jinan_new")) == 0
