"""Finance test helpers: patents created through the ORM with applicants and legal events."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

TODAY = dt.date(2026, 3, 10)  # a Tuesday (working day)


@pytest.fixture
def make_patent(db):
    from ipplatform.patents.models import Applicant, LegalEvent, Patent, PatentApplicant

    counter = {"n": 0}

    def make(
        *,
        owners=("济南时代新纪元科技有限公司",),
        patent_type="invention",
        app_date=dt.date(2016, 5, 4),
        grant_date=dt.date(2019, 8, 20),
        title=None,
        events=(),
        ipc=("C08L23/06",),
        claims=8,
        inventors=("张三", "李四"),
        family=None,
        citations=None,
        org_links=None,
        pk=None,
    ):
        counter["n"] += 1
        pk = pk or f"2016100{counter['n']:05d}X"
        p = Patent.objects.create(
            id=pk,
            application_number=pk,
            patent_type=patent_type,
            title=title or f"一种高分子复合材料{counter['n']}",
            application_date=app_date,
            grant_date=grant_date,
            ipc_main=ipc[0] if ipc else "",
            ipc_all=list(ipc),
            claims_count=claims,
            inventors=list(inventors),
            family_size=family,
            citation_count=citations,
            source="manual",
            region_code="370112",
            city_code="370100",
            legal_status="valid" if grant_date else "pending",
        )
        for order, name in enumerate(owners, start=1):
            applicant, _ = Applicant.objects.get_or_create(name=name)
            if org_links and name in org_links:
                applicant.organization = org_links[name]
                applicant.save()
            PatentApplicant.objects.create(patent=p, applicant=applicant, order=order)
        for date, code, *desc in events:
            LegalEvent.objects.create(
                patent=p, date=date, code=code, description=desc[0] if desc else "", source="test"
            )
        return p

    return make


@pytest.fixture(autouse=True)
def own_name_claims(request):
    """The demo enterprises own the patents filed under their own names: verified claims of those names (orgs registry)."""
    if "users" not in request.fixturenames:
        return
    users, verified_claim = request.getfixturevalue("users"), request.getfixturevalue("verified_claim")
    for username in ("qilu_ent", "laiwu_ent", "haier"):
        verified_claim(users[username].organization)


@pytest.fixture
def pledge_data():
    return {
        "contract_number": "QL-ZY-2026-001",
        "contract_date": dt.date(2026, 3, 1),
        "debt_amount": Decimal("500"),
        "debt_start": dt.date(2026, 3, 15),
        "debt_end": dt.date(2027, 3, 14),
        "security_scope": "主债权本金、利息、罚息及实现质权的费用",
        "loan_rate": Decimal("4.35"),
        "disbursed_on": dt.date(2026, 3, 20),
    }


@pytest.fixture
def tech_fields(db):
    """The 35 WIPO fields and their IPC prefixes only (the full IPC table is not needed here)."""
    from ipplatform.core import reference
    from ipplatform.finance import indicators

    reference.load_tech_fields()
    indicators.clear_cache()
    yield
    indicators.clear_cache()
