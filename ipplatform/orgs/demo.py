"""Demo registry (idempotent): the demo enterprises and universities are real Shandong applicants of the imported
records, each linked only to its own applicant name by a claim verified by its city bureau. Earlier hand links of other
applicants to these organisations are removed. Real Shandong applicants named in the issue (e.g. from the Tai'an
export) get a registry entry and a verified claim of their own name when the records hold them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from ipplatform.core.enums import OrgKind, Role
from ipplatform.core.models import Organization, User
from ipplatform.core.workflow import run_transition
from ipplatform.patents.models import Applicant

from .enums import ClaimKind, ClaimState
from .models import ApplicantClaim
from .services import folded, link_applicant

DEMO_NOTE = "演示数据：申请人名称与机构现用名一致，按著录记录核验（未上传证明材料）"
DEMO_TIDY_NOTE = "演示数据整理：与机构名称不符的认领已撤销"
# Further real Shandong applicants registered when the patent store holds them: (name, kind, region).
OTHER_APPLICANTS = [
    ("山东农业大学", OrgKind.UNIVERSITY, "370900"),
    ("山东科技大学", OrgKind.UNIVERSITY, "370200"),
    ("山东泰开高压开关有限公司", OrgKind.ENTERPRISE, "370900"),
    ("济南大学", OrgKind.UNIVERSITY, "370100"),
    ("青岛理工大学", OrgKind.UNIVERSITY, "370200"),
    ("青岛农业大学", OrgKind.UNIVERSITY, "370200"),
]
ACCOUNT_ORGS = ("haier", "qilu_ent", "laiwu_ent", "sdu")
# Accounts that act for a body with patents in force: (username, applicant entity type, organisation kind, minimum).
ACTIVE_ACCOUNTS = [
    ("qilu_ent", "enterprise", OrgKind.ENTERPRISE, 4),
    ("haier", "enterprise", OrgKind.ENTERPRISE, 3),
    ("sdu", "university", OrgKind.UNIVERSITY, 4),
]


def in_force_count(applicant: Applicant, on: dt.date, *, cap: int = 50) -> int:
    from ipplatform.patents.models import Patent

    qs = Patent.objects.filter(applicant_links__applicant=applicant, is_synthetic=False).prefetch_related(
        "legal_events"
    )[:400]
    n = 0
    for p in qs:
        if p.valid_at(on) and p.term_end and p.term_end > on + dt.timedelta(days=200):
            n += 1
            if n >= cap:
                break
    return n


def _best_applicant(
    entity_type: str, minimum: int, on: dt.date, taken: set[str], *, city_prefix: str = "37"
) -> tuple[Applicant, int] | None:
    """The real applicant of this type in the city (region prefix) with the most patents in force (at least `minimum`),
    not yet claimed."""
    qs = (
        Applicant.objects.filter(region_code__startswith=city_prefix, entity_type=entity_type)
        .exclude(name__in=taken)
        .annotate(n=Count("patent_links"))
        .filter(n__gte=minimum)
        .order_by("-n", "name")[:20]
    )
    best = None
    for a in qs:
        n = in_force_count(a, on)
        if n >= minimum and (best is None or n > best[1]):
            best = (a, n)
    return best


def repoint_accounts(*, stdout) -> None:
    """A demo account whose body has too few patents in force under its own name is moved to the organisation of the
    real applicant of its city (same type) with the most patents in force, so demo transactions use that body's own patents."""
    on = timezone.localdate()
    active = dict(
        User.objects.filter(username__in=[a[0] for a in ACTIVE_ACCOUNTS]).values_list("username", "organization")
    )
    for username, etype, kind, minimum in ACTIVE_ACCOUNTS:
        user = User.objects.filter(username=username).select_related("organization").first()
        if user is None or user.organization is None:
            continue
        # names another demo account's body has claimed are taken; a name claimed by the body of the same name is the
        # one this account was moved to by an earlier run (create_accounts has just reset it), so it stays available
        others = {org for name, org in active.items() if name != username and org}
        taken = set(
            ApplicantClaim.objects.filter(
                state__in=[ClaimState.SUBMITTED, ClaimState.VERIFIED], organization__in=others
            ).values_list("name", flat=True)
        )
        own = Applicant.objects.filter(name=user.organization.name).first()
        if own is not None and in_force_count(own, on) >= minimum:
            continue
        # stay in the account's own city, so that a city bureau's demo account still sees what its enterprises do
        found = _best_applicant(
            etype,
            minimum,
            on,
            taken - {user.organization.name},
            city_prefix=(user.organization.region_code or "37")[:4],
        )
        if found is None:
            continue
        applicant, n = found
        # the size setting is the demo account's (so the SME schemes can be shown), carried to the body it now represents
        org, _ = Organization.objects.get_or_create(
            kind=kind,
            name=applicant.name,
            defaults={"region_code": applicant.region_code or "370000", "is_sme": user.organization.is_sme},
        )
        user.organization = org
        user.real_name = f"{org.name}（演示账号）"  # the name it had belonged to the body it no longer represents
        user.save(update_fields=["organization", "real_name"])
        active[username] = org.pk
        stdout.write(f"  演示账号{username}代表真实申请人“{org.name}”（本单位名称下有效专利{n}件）")


def _verifier(org: Organization) -> User | None:
    return (
        User.objects.filter(role=Role.CITY_OFFICER, organization__region_code__startswith=org.region_code[:4]).first()
        or User.objects.filter(username="admin").first()
    )


def claim_own_name(org: Organization) -> ApplicantClaim | None:
    """A verified claim of the organisation's own name, and no link to any other applicant."""
    # tidying earlier demo runs goes through the audit trail and the claims' workflow history like any other change
    for other in Applicant.objects.filter(organization=org).exclude(name=org.name):
        link_applicant(other, None, by=None, reason="演示数据整理：解除与机构名称不符的申请人关联")
    standing = ApplicantClaim.objects.filter(organization=org, state__in=[ClaimState.SUBMITTED, ClaimState.VERIFIED])
    for stray in standing.exclude(name_norm=folded(org.name)):
        run_transition(stray, "revoke", by=None, reason=DEMO_TIDY_NOTE)
        stray.save()
    claim = ApplicantClaim.objects.filter(
        organization=org, name_norm=folded(org.name), state=ClaimState.VERIFIED
    ).first()
    if claim is not None:
        return claim
    applicant = Applicant.objects.filter(name=org.name).first()
    claim = ApplicantClaim.objects.create(
        organization=org,
        name=org.name,
        name_norm=folded(org.name),
        kind=ClaimKind.CURRENT,
        applicant=applicant,
        note="演示数据",
    )
    verifier = _verifier(org)
    run_transition(claim, "verify", by=verifier, reason=DEMO_NOTE)
    claim.save()
    if applicant is not None:
        link_applicant(applicant, org, by=verifier, reason=DEMO_NOTE)
    return claim


@transaction.atomic
def load(*, stdout, options=None) -> dict:
    repoint_accounts(stdout=stdout)
    orgs = [
        u.organization
        for u in User.objects.filter(username__in=ACCOUNT_ORGS).select_related("organization")
        if u.organization
    ]
    orgs += list(
        Organization.objects.filter(kind__in=[OrgKind.UNIVERSITY, OrgKind.INSTITUTE], users__is_demo=True).distinct()
    )
    for name, kind, region in OTHER_APPLICANTS:
        if Applicant.objects.filter(name=name).exists():
            org, _ = Organization.objects.get_or_create(kind=kind, name=name, defaults={"region_code": region})
            orgs.append(org)
    done = []
    for org in {o.pk: o for o in orgs}.values():
        claim_own_name(org)
        n = (
            Applicant.objects.get(name=org.name).patent_links.count()
            if Applicant.objects.filter(name=org.name).exists()
            else 0
        )
        done.append(f"{org.name}（著录{n}件）")
    stdout.write("  机构库：演示机构只认领本单位名称（已核验）：" + "；".join(done))
    return {"claims": len(done)}
