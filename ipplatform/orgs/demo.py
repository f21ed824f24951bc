"""Demo registry (idempotent): the demo enterprises and universities are real Shandong applicants of the imported
records, each linked only to its own applicant name by a claim verified by its city bureau. Earlier hand links of other
applicants to these organisations are removed. Real Shandong applicants named in the issue (e.g. from the Tai'an
export) get a registry entry and a verified claim of their own name when the records hold them."""
from __future__ import annotations

from django.db import transaction

from ipplatform.core.enums import OrgKind, Role
from ipplatform.core.models import Organization, User
from ipplatform.core.workflow import run_transition
from ipplatform.patents.models import Applicant

from .enums import ClaimKind, ClaimState
from .models import ApplicantClaim
from .services import folded

DEMO_NOTE = "演示数据：申请人名称与机构现用名一致，按著录记录核验（未上传证明材料）"
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


def _verifier(org: Organization) -> User | None:
    return (User.objects.filter(role=Role.CITY_OFFICER, organization__region_code__startswith=org.region_code[:4]).first()
            or User.objects.filter(username="admin").first())


def claim_own_name(org: Organization) -> ApplicantClaim | None:
    """A verified claim of the organisation's own name, and no link to any other applicant."""
    Applicant.objects.filter(organization=org).exclude(name=org.name).update(organization=None)
    ApplicantClaim.objects.filter(organization=org, state__in=[ClaimState.SUBMITTED, ClaimState.VERIFIED]).exclude(
        name_norm=folded(org.name)).update(state=ClaimState.REVOKED, decision_note="演示数据整理：与机构名称不符的认领已撤销")
    claim = ApplicantClaim.objects.filter(organization=org, name_norm=folded(org.name), state=ClaimState.VERIFIED).first()
    if claim is not None:
        return claim
    applicant = Applicant.objects.filter(name=org.name).first()
    claim = ApplicantClaim.objects.create(organization=org, name=org.name, name_norm=folded(org.name), kind=ClaimKind.CURRENT,
                                          applicant=applicant, note="演示数据")
    run_transition(claim, "verify", by=_verifier(org), reason=DEMO_NOTE)
    claim.save()
    if applicant is not None:
        Applicant.objects.filter(pk=applicant.pk).update(organization=org)
    return claim


@transaction.atomic
def load(*, stdout, options=None) -> dict:
    orgs = [u.organization for u in User.objects.filter(username__in=ACCOUNT_ORGS).select_related("organization") if u.organization]
    orgs += list(Organization.objects.filter(kind__in=[OrgKind.UNIVERSITY, OrgKind.INSTITUTE], users__is_demo=True).distinct())
    for name, kind, region in OTHER_APPLICANTS:
        if Applicant.objects.filter(name=name).exists():
            org, _ = Organization.objects.get_or_create(kind=kind, name=name, defaults={"region_code": region})
            orgs.append(org)
    done = []
    for org in {o.pk: o for o in orgs}.values():
        claim_own_name(org)
        n = Applicant.objects.get(name=org.name).patent_links.count() if Applicant.objects.filter(name=org.name).exists() else 0
        done.append(f"{org.name}（著录{n}件）")
    stdout.write("  机构库：演示机构只认领本单位名称（已核验）：" + "；".join(done))
    return {"claims": len(done)}
