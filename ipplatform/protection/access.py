"""Who sees which cases: city bureaus their city, the province (and 法律事务处 / 鉴定中心) all, requesters their own."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from ipplatform.core.enums import STAFF_ROLES, Role, ScopeLevel
from ipplatform.core.scopes import restrict, scope_of

CASE_DEPARTMENTS = frozenset({"法律事务处", "鉴定中心"})  # departments that work on every case in the province


def is_staff(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.role in STAFF_ROLES))


def is_case_worker(user) -> bool:
    """Staff who may handle cases: province-wide roles, the case departments, city and county bureaus."""
    if not is_staff(user):
        return False
    if user.is_superuser or user.role != Role.DEPARTMENT_STAFF:
        return True
    return bool(user.organization and user.organization.name in CASE_DEPARTMENTS)


def cases_for(user, queryset=None):
    """Cases the user may see."""
    from .models import Case

    qs = queryset if queryset is not None else Case.objects.all()
    scope = scope_of(user)
    if scope is None:
        return qs.none()
    if scope.level == ScopeLevel.DEPARTMENT and not is_case_worker(user):
        return qs.filter(Q(requester_user=user) | Q(handler=user))
    return restrict(qs, user)


def intakes_for(user, queryset=None):
    from .models import Intake

    qs = queryset if queryset is not None else Intake.objects.all()
    scope = scope_of(user)
    if scope is None:
        return qs.none()
    if scope.level == ScopeLevel.DEPARTMENT and not is_case_worker(user):
        return qs.filter(requester_user=user)
    return restrict(qs, user)


def get_case(user, pk):
    """One case in the user's scope; 404 if missing, 403 with a Chinese reason if outside."""
    from .models import Case

    case = Case.objects.select_related("handling_org", "handler", "department").filter(pk=pk).first()
    if case is None:
        raise Http404("案件不存在")
    if not cases_for(user, Case.objects.filter(pk=pk)).exists():
        raise PermissionDenied("无权访问该案件：超出您的数据范围")
    return case


def require_case_worker(user, case=None) -> None:
    """Only handling staff may change a case (requesters see it read-only)."""
    if not is_case_worker(user):
        raise PermissionDenied("只有执法办案人员可以办理案件")
    if case is not None and not cases_for(user).filter(pk=case.pk).exists():
        raise PermissionDenied("无权办理该案件：超出您的数据范围")
