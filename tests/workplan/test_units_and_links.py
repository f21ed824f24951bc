"""Changes to a task's responsible units are audited one by one; every platform link resolves to a page."""

import pytest
from django.urls import reverse

from ipplatform.core.models import AuditEvent
from ipplatform.workplan import links, services

pytestmark = pytest.mark.django_db


def _events_on(assignment):
    return AuditEvent.objects.filter(object_type="workplan.assignment", object_id=str(assignment.pk), action="update")


def test_a_new_lead_unit_demotes_the_former_lead_to_coop(users, task_of):
    task = task_of(6)
    former = task.assignments.get(role="lead")
    services.add_assignment(task=task, user=users["admin"], organization_id=users["fawu"].organization_id, role="lead")
    former.refresh_from_db()
    assert former.role == "coop"


def test_demoting_the_former_lead_is_audited_with_who_from_to_and_why(users, task_of):
    task = task_of(6)
    former = task.assignments.get(role="lead")
    services.add_assignment(task=task, user=users["admin"], organization_id=users["fawu"].organization_id, role="lead")
    [event] = _events_on(former)
    assert (event.actor_id, event.before, event.after) == (users["admin"].pk, {"role": "lead"}, {"role": "coop"})
    assert event.reason == "法律事务处改为牵头单位"


def _unconfirmed_group(task_of):
    task = next(task_of(n) for n in range(1, 37) if task_of(n).assignments.filter(confirmed=False).exists())
    via = task.assignments.filter(confirmed=False).first().via
    return task, via, list(task.assignments.filter(via=via, confirmed=False))


def test_confirming_a_collective_audits_each_unit(users, task_of):
    task, via, pending = _unconfirmed_group(task_of)
    services.confirm_collective(task=task, user=users["admin"], via=via)
    for assignment in pending:
        [event] = _events_on(assignment)
        assert (event.actor_id, event.before, event.after) == (
            users["admin"].pk,
            {"confirmed": False},
            {"confirmed": True},
        )
        assert event.reason == f"确认“{via}”的单位"


def test_confirming_a_collective_returns_how_many_units_it_confirmed(users, task_of):
    task, via, pending = _unconfirmed_group(task_of)
    assert services.confirm_collective(task=task, user=users["admin"], via=via) == len(pending)
    assert not task.assignments.filter(via=via, confirmed=False).exists()


@pytest.mark.parametrize("link", links.LINKS, ids=lambda link: link.key)
def test_every_platform_link_names_an_existing_page(link):
    assert reverse(link.url_name).startswith("/")


def test_links_of_keys_no_longer_known_are_left_out():
    assert [link["label"] for link in links.resolve(["finance_pledge", "no_such_part"])] == ["质押融资登记统计"]
