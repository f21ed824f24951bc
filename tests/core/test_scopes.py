"""Every role against objects inside and outside its data scope."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ipplatform.core.models import BackgroundJob, Organization
from ipplatform.core.scopes import can_access, get_in_scope, restrict, scope_of

ORG_KEYS = ["haier", "ouc", "county:370211", "ent_laiwu", "county:371202", "sdu", "city:370200", "city:371200", "bank"]

# username -> the organisation keys (of ORG_KEYS) it may see
EXPECTED = {
    "admin": set(ORG_KEYS),
    "leader": set(ORG_KEYS),
    "fawu": set(ORG_KEYS),  # provincial department: organisations carry no department, so province-wide
    "city370200": {"haier", "ouc", "county:370211", "city:370200"},
    "city371200": {"ent_laiwu", "county:371202", "city:371200"},
    "huangdao": {"county:370211"},  # county bureau: its own county only (海尔 is in 崂山区 370212)
    "haier": {"haier"},
    "sdu": {"sdu"},
    "bank": {"bank"},
    "expert": set(),
    "public": set(),
}


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_organization_visibility_matrix(users, orgs, username):
    user = users[username]
    visible = set(restrict(Organization.objects.all(), user).values_list("pk", flat=True))
    for key in ORG_KEYS:
        assert (orgs[key].pk in visible) == (key in EXPECTED[username]), f"{username} vs {key}"
        assert can_access(user, orgs[key]) == (key in EXPECTED[username])


def test_owner_scope_for_jobs(users):
    mine = BackgroundJob.objects.create(kind="x", title="mine", created_by=users["public"])
    theirs = BackgroundJob.objects.create(kind="x", title="theirs", created_by=users["city370200"])
    assert list(restrict(BackgroundJob.objects.all(), users["public"])) == [mine]
    assert list(restrict(BackgroundJob.objects.all(), users["city370200"])) == [theirs]
    assert set(restrict(BackgroundJob.objects.all(), users["admin"])) == {mine, theirs}


def test_department_path_limits_department_staff(users, orgs):
    # With a department path, 法律事务处 sees only its own department's objects.
    qs = restrict(Organization.objects.filter(kind="department"), users["fawu"], paths={"department": "pk"})
    assert list(qs) == [orgs["dept:法律事务处"]]


def test_get_in_scope_403_with_reason_and_404(users, orgs):
    with pytest.raises(PermissionDenied, match="超出您的数据范围"):
        get_in_scope(Organization.objects.all(), users["city370200"], pk=orgs["ent_laiwu"].pk)
    with pytest.raises(Http404):
        get_in_scope(Organization.objects.all(), users["city370200"], pk=999999)
    assert get_in_scope(Organization.objects.all(), users["city370200"], pk=orgs["haier"].pk) == orgs["haier"]


def test_anonymous_sees_nothing(orgs):
    from django.contrib.auth.models import AnonymousUser

    assert scope_of(AnonymousUser()) is None
    assert not restrict(Organization.objects.all(), AnonymousUser()).exists()


def test_scope_prefixes(users):
    assert scope_of(users["city371200"]).region_prefix == "3712"
    assert scope_of(users["huangdao"]).region_prefix == "370211"
    assert scope_of(users["haier"]).level == "organization"
