"""Access rules of the registry pages (format: docs/ACCESS.md on the hardening branch, core.access)."""

from __future__ import annotations

from ipplatform.core.access import (
    ADMIN,
    DEPARTMENTS,
    EVERYONE,
    INDIVIDUALS,
    NOBODY,
    PROVINCE,
    SIGNED_IN,
    STAFF,
    Obj,
    Rule,
    city,
)

QILU_ACCOUNT = (
    "qilu_ent"  # the 济南 demo enterprise account: a real 济南 applicant chosen by orgs.demo (looked up by account)
)


def _qilu_org():
    from ipplatform.core.models import User

    return User.objects.select_related("organization").get(username=QILU_ACCOUNT).organization


IN_SCOPE = PROVINCE | DEPARTMENTS | city("370100") | {"qilu_ent"}  # who sees qilu_ent's records
VERIFIERS = ADMIN | city("370100") | {"qilu_ent"}  # the body itself, the office and its city bureau may act on it


def _claim():
    from ipplatform.orgs.models import ApplicantClaim
    from ipplatform.orgs.services import folded

    org = _qilu_org()
    return ApplicantClaim.objects.create(
        organization=org, name=f"{org.name}（测试认领）", name_norm=folded(org.name + "测试"), note="access matrix"
    )


def _evidence():
    from django.core.files.base import ContentFile

    from ipplatform.orgs.models import ClaimEvidence

    ev = ClaimEvidence(claim=_claim(), kind="licence", name="licence.pdf", size=9, sha256="0" * 64)
    ev.file.save("licence.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    ev.save()
    return ev


def _custody():
    import datetime as dt

    from ipplatform.core.models import Organization
    from ipplatform.orgs.models import Custody

    org = _qilu_org()
    agency = Organization.objects.filter(kind="agency").first()
    return Custody.objects.create(
        enterprise=org,
        agency=agency,
        contract_no="ACCESS-1",
        start=dt.date(2026, 1, 1),
        end=dt.date(2027, 1, 1),
        services=["fees"],
        city_code="370100",
    )


def _pending_org():
    from ipplatform.core.models import Organization
    from ipplatform.orgs.models import Registration

    org = Organization.objects.create(kind="enterprise", name="济南访问矩阵测试有限公司", region_code="370102")
    Registration.objects.create(organization=org)
    return org


RULES = [
    Rule("orgs:register", allow=EVERYONE, why="signed-in users with an organisation are redirected to their own page"),
    Rule("orgs:uscc_check", allow=EVERYONE, query="uscc=91370102MA3C5X8Y0X"),
    Rule("orgs:list", allow=STAFF),
    Rule(
        "orgs:mine",
        allow=SIGNED_IN - INDIVIDUALS,
        why="a redirect to the user's own organisation; experts and the public have none",
    ),
    Rule("orgs:import", allow=ADMIN, why="the office: province administrators, 企业办 and 协调管理处"),
    Rule("orgs:claims", allow=STAFF),
    Rule(
        "orgs:claim_detail",
        allow=IN_SCOPE,
        obj=Obj("orgs.ApplicantClaim", make=_claim, organization__users__username=QILU_ACCOUNT),
    ),
    Rule(
        "orgs:claim_decide",
        allow=ADMIN | city("370100"),
        method="POST",
        obj=Obj("orgs.ApplicantClaim", make=_claim, organization__users__username=QILU_ACCOUNT),
        why="verifying needs the office or the city bureau of the body; the body itself may only revoke (with a reason)",
    ),
    Rule(
        "orgs:evidence_download",
        allow=IN_SCOPE,
        obj=Obj("orgs.ClaimEvidence", make=_evidence, claim__organization__users__username=QILU_ACCOUNT),
    ),
    Rule(
        "orgs:fees",
        allow=STAFF | {"haier", "qilu_ent", "sdu"},
        why="holders see their own fees, staff the lapse-risk list; banks none",
    ),
    Rule("orgs:custody_list", allow=STAFF | {"haier", "qilu_ent"}, why="staff, enterprises and agencies"),
    Rule("orgs:custody_new", allow=NOBODY, why="patent agency users only (no probe account is one)"),
    Rule(
        "orgs:custody_detail",
        allow=IN_SCOPE,
        obj=Obj("orgs.Custody", make=_custody, enterprise__users__username=QILU_ACCOUNT),
    ),
    Rule(
        "orgs:custody_act",
        allow=IN_SCOPE,
        method="POST",
        obj=Obj("orgs.Custody", make=_custody, enterprise__users__username=QILU_ACCOUNT),
        why="an empty action is refused with a message for everyone in scope",
    ),
    Rule("orgs:detail", allow=IN_SCOPE, obj=Obj("core.Organization", users__username=QILU_ACCOUNT)),
    Rule("orgs:edit", allow=VERIFIERS, obj=Obj("core.Organization", users__username=QILU_ACCOUNT)),
    Rule(
        "orgs:registration_decide",
        allow=ADMIN | city("370100"),
        method="POST",
        obj=Obj("core.Organization", make=_pending_org, registration__isnull=False),
    ),
    Rule(
        "orgs:fee_reduction_new",
        allow=VERIFIERS,
        method="POST",
        obj=Obj("core.Organization", users__username=QILU_ACCOUNT),
        why="the holder itself, its city bureau and the office record fee reductions (empty POST: message and redirect)",
    ),
    Rule(
        "orgs:former_name_add",
        allow=VERIFIERS,
        method="POST",
        obj=Obj("core.Organization", users__username=QILU_ACCOUNT),
    ),
    Rule("orgs:claim_new", allow=VERIFIERS, method="POST", obj=Obj("core.Organization", users__username=QILU_ACCOUNT)),
    Rule("orgs:portfolio", allow=IN_SCOPE, obj=Obj("core.Organization", users__username=QILU_ACCOUNT)),
]
