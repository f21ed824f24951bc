"""core.scopes.is_admin_or_department: the one rule behind finance's reviewers and the registry's office reviewers."""

import pytest
from django.contrib.auth.models import AnonymousUser

from ipplatform.core.scopes import is_admin_or_department
from ipplatform.finance.services import REVIEW_DEPARTMENT

pytestmark = pytest.mark.django_db


def test_the_named_department_passes(users):
    assert is_admin_or_department(users["xietiao"], {REVIEW_DEPARTMENT})


def test_another_department_does_not(users):
    assert users["fawu"].organization.name != REVIEW_DEPARTMENT
    assert not is_admin_or_department(users["fawu"], {REVIEW_DEPARTMENT})


def test_the_province_administrator_passes_for_any_department(users):
    assert is_admin_or_department(users["admin"], set())


def test_city_bureaus_leaders_and_visitors_do_not(users):
    for user in (users["city370100"], users["leader"], AnonymousUser()):
        assert not is_admin_or_department(user, {REVIEW_DEPARTMENT})
