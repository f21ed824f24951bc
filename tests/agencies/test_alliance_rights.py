"""Who manages an alliance and which members can be taken out of it (rules the alliance page shows as buttons)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ipplatform.agencies import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def alliance(users, orgs):
    """A Qingdao alliance led by Haier, with the Ocean University as a member."""
    a = services.create_alliance(
        by=users["leader"],
        name="青岛家电产业知识产权保护联盟（演示数据）",
        field="家用电器",
        region_code="370200",
        lead=orgs["haier"],
        established_on=dt.date(2025, 4, 26),
    )
    services.add_member(by=users["haier"], alliance=a, organization=orgs["ouc"], joined_on=dt.date(2025, 5, 1))
    return a


@pytest.mark.parametrize("name,expected", [("leader", True), ("haier", True), ("qilu_ent", False), ("public", False)])
def test_registry_staff_and_the_lead_body_manage_the_alliance(alliance, users, name, expected):
    assert services.can_manage_alliance(users[name], alliance) is expected


def test_a_current_member_can_be_taken_out_by_the_lead_body(alliance, users, orgs):
    member = alliance.members.get(organization=orgs["ouc"])
    assert services.can_remove_member(users["haier"], member)


def test_the_lead_body_cannot_be_taken_out(alliance, users, orgs):
    lead = alliance.members.get(organization=orgs["haier"])
    assert not services.can_remove_member(users["leader"], lead)


def test_a_member_that_left_cannot_be_taken_out_again(alliance, users, orgs):
    member = alliance.members.get(organization=orgs["ouc"])
    services.remove_member(by=users["leader"], member=member, reason="转入其他联盟", on=dt.date(2026, 1, 1))
    assert not services.can_remove_member(users["leader"], member)


def test_an_outsider_cannot_take_members_out(alliance, users, orgs):
    member = alliance.members.get(organization=orgs["ouc"])
    assert not services.can_remove_member(users["qilu_ent"], member)


def test_the_alliance_page_offers_one_leave_button_for_the_one_removable_member(alliance, client, users):
    client.force_login(users["haier"])
    page = client.get(reverse("agencies:alliance", args=[alliance.pk])).content.decode()
    assert page.count('name="action" value="leave"') == 1
