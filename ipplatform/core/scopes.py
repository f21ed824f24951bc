"""Data scopes: the one place that decides which objects a user may see.

A model declares where its scope-relevant fields live, as `scope_paths` (or the caller passes `paths`):

    scope_paths = {
        "region": "city_code",                      # a GB/T 2260 code field (city or county level)
        "organization": ["seller", "buyer"],        # FK path(s) to core.Organization
        "department": "department",                 # FK path to the responsible provincial department
        "owner": "created_by",                      # FK path(s) to the user who owns the record
        "personal": True,                           # optional: only the owner, whatever the role (saved searches);
                                                    # "province": the owner, and province-wide roles (jobs)
    }

Rules by the user's scope level (see enums.ROLE_SCOPE):
- province: everything.
- department: objects of the user's department where the model has a department path; models without one are
  province-wide business, so the department sees all of them.
- city / county: objects whose region code lies in the user's city (counties included) or county, or whose
  organization lies there.
- organization: objects whose organization path is the user's organization.
- own: objects whose owner path is the user.
Everyone also sees records they own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .enums import ScopeLevel


@dataclass(frozen=True)
class Scope:
    level: str
    region_prefix: str = ""  # "3702" for a city bureau, "370211" for a county bureau
    organization_id: int | None = None
    user_id: int | None = None

    @property
    def label(self) -> str:
        return ScopeLevel(self.level).label


def scope_of(user) -> Scope | None:
    """The data scope of a user; None for anonymous visitors."""
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return Scope(ScopeLevel.PROVINCE, user_id=user.pk)
    level = user.scope_level
    org = user.organization
    prefix = ""
    if org is not None and org.region_code:
        if level == ScopeLevel.CITY:
            prefix = org.region_code[:4]
        elif level == ScopeLevel.COUNTY:
            prefix = org.region_code
    if level in (ScopeLevel.CITY, ScopeLevel.COUNTY) and not prefix:
        level = ScopeLevel.OWN  # a bureau user without a region sees only own records
    return Scope(level, prefix, org.pk if org else None, user.pk)


def _as_list(value) -> list[str]:
    if not value:
        return []
    return [value] if isinstance(value, str) else list(value)


def _any(paths: list[str], make) -> Q | None:
    q = None
    for path in paths:
        part = make(path)
        q = part if q is None else q | part
    return q


def scope_q(model: type[Model], user, paths: dict | None = None) -> Q | None:
    """A Q object selecting what `user` may see of `model`; None means no restriction."""
    scope = scope_of(user)
    paths = paths if paths is not None else getattr(model, "scope_paths", {})
    nothing = Q(pk__in=[])
    if scope is None:
        return nothing
    owner_q = _any(_as_list(paths.get("owner")), lambda p: Q(**{p: scope.user_id}))
    personal = paths.get("personal")
    if personal and not (personal == "province" and scope.level == ScopeLevel.PROVINCE):
        return owner_q if owner_q is not None else nothing
    if scope.level == ScopeLevel.PROVINCE:
        return None
    org_paths = _as_list(paths.get("organization"))
    region_paths = _as_list(paths.get("region"))
    q = None
    if scope.level == ScopeLevel.DEPARTMENT:
        dept_paths = _as_list(paths.get("department"))
        if not dept_paths:
            return None
        q = _any(dept_paths, lambda p: Q(**{p: scope.organization_id}))
    elif scope.level in (ScopeLevel.CITY, ScopeLevel.COUNTY):
        q = _any(region_paths, lambda p: Q(**{f"{p}__startswith": scope.region_prefix}))
        org_q = _any(
            org_paths,
            lambda p: Q(
                **{(f"{p}__region_code__startswith" if p != "pk" else "region_code__startswith"): scope.region_prefix}
            ),
        )
        if org_q is not None:
            q = org_q if q is None else q | org_q
    elif scope.level == ScopeLevel.ORGANIZATION and scope.organization_id:
        q = _any(org_paths, lambda p: Q(**{p: scope.organization_id}))
    if owner_q is not None:
        q = owner_q if q is None else q | owner_q
    return q if q is not None else nothing


def restrict(queryset: QuerySet, user, *, paths: dict | None = None) -> QuerySet:
    """Filter `queryset` to what `user` may see."""
    q = scope_q(queryset.model, user, paths)
    return queryset if q is None else queryset.filter(q).distinct()


def can_access(user, obj: Model, *, paths: dict | None = None) -> bool:
    """True when `obj` lies inside the user's data scope."""
    model = type(obj)
    return restrict(model._default_manager.filter(pk=obj.pk), user, paths=paths).exists()


def get_in_scope(queryset: QuerySet, user, *, paths: dict | None = None, **lookup):
    """Fetch one object; 404 if it does not exist, 403 with a Chinese reason if it lies outside the user's scope."""
    try:
        obj = queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404(f"{queryset.model._meta.verbose_name}不存在")
    if not can_access(user, obj, paths=paths):
        raise PermissionDenied(f"无权访问该{queryset.model._meta.verbose_name}：超出您的数据范围")
    return obj


def require_in_scope(user, obj: Model, *, paths: dict | None = None) -> None:
    if not can_access(user, obj, paths=paths):
        raise PermissionDenied(f"无权访问该{obj._meta.verbose_name}：超出您的数据范围")


def region_in_scope(user, region_code: str) -> bool:
    """True when a record of `region_code` may be created or moved there by `user` (city and county bureaus: only
    inside their own region; provincial roles: anywhere; others: not decided by region)."""
    scope = scope_of(user)
    if scope is None:
        return False
    if scope.level in (ScopeLevel.CITY, ScopeLevel.COUNTY):
        return bool(region_code) and str(region_code).startswith(scope.region_prefix)
    return True


def require_region_in_scope(user, region_code: str, what: str = "记录") -> None:
    """Refuse (403 with a Chinese reason) creating a record for a region outside the user's own."""
    if not region_in_scope(user, region_code):
        raise PermissionDenied(f"不能为本辖区以外的地区（{region_code or '未指定'}）登记{what}")


def require_roles(user, roles, message: str = "您的角色无权使用此功能") -> None:
    """Refuse (403 with a Chinese reason) unless the user is a superuser or holds one of `roles`."""
    if not (user.is_superuser or user.role in roles):
        raise PermissionDenied(message)


def is_admin_or_department(user, departments) -> bool:
    """Province administrators (and superusers), or department staff of one of the named provincial departments:
    who may review in finance (协调管理处) and keep the organisation registry (the registry departments)."""
    from .enums import Role

    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.role == Role.PROVINCE_ADMIN:
        return True
    return (
        user.role == Role.DEPARTMENT_STAFF and user.organization is not None and user.organization.name in departments
    )
