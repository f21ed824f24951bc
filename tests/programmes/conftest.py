"""Programme test helpers: the configured programme types, patents of the demo enterprises, calls and a way to walk
an application through its stages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

ON = dt.date(2015, 9, 15)  # a Tuesday: the 2015 call is open
JINAN_NAME = "济南时代新纪元科技有限公司"  # the qilu_ent demo enterprise (a real Jinan applicant)


@pytest.fixture
def programmes(db):
    from ipplatform.programmes import defaults

    return defaults.ensure_programmes()


@pytest.fixture
def owners(users, verified_claim):
    """The demo enterprises own the patents filed under their own names (verified claims, orgs registry)."""
    for username in ("qilu_ent", "haier", "sdu"):
        verified_claim(users[username].organization)
    return {u: users[u].organization for u in ("qilu_ent", "haier", "sdu")}


@pytest.fixture
def make_patent(db):
    from ipplatform.patents.models import Applicant, LegalEvent, Patent, PatentApplicant

    counter = {"n": 0}

    def make(
        *,
        owners=(JINAN_NAME,),
        patent_type="invention",
        filed=dt.date(2013, 5, 4),
        granted=dt.date(2015, 3, 20),
        ipc="H01M10/05",
        events=(),
        pk=None,
    ):
        counter["n"] += 1
        pk = pk or f"2013100{counter['n']:05d}X"
        p = Patent.objects.create(
            id=pk,
            application_number=pk,
            patent_type=patent_type,
            title=f"一种锂电池电极材料{counter['n']}",
            application_date=filed,
            grant_date=granted,
            ipc_main=ipc,
            ipc_all=[ipc],
            source="manual",
            region_code="370112",
            city_code="370100",
            legal_status="valid" if granted else "pending",
        )
        for order, name in enumerate(owners, start=1):
            applicant, _ = Applicant.objects.get_or_create(name=name)
            PatentApplicant.objects.create(patent=p, applicant=applicant, order=order)
        for date, code in events:
            LegalEvent.objects.create(patent=p, date=date, code=code, source="测试")
        return p

    return make


@pytest.fixture
def make_call(programmes, users):
    from ipplatform.programmes import services

    def make(
        code="patent_subsidy",
        *,
        year=2015,
        opens=dt.date(2015, 9, 1),
        closes=dt.date(2015, 9, 30),
        budget="100000",
        quotas=None,
    ):
        return services.create_call(
            by=users["admin"],
            programme=programmes[code],
            year=year,
            title=f"{year}年度{programmes[code].name}",
            opens_on=opens,
            closes_on=closes,
            budget=Decimal(budget),
            guide="测试指南",
            quotas=quotas,
        )

    return make


BANK = {"contact": "郑经理", "phone": "0531-88888888", "bank": "齐鲁银行济南分行", "account": "6222000011112222"}


@pytest.fixture
def subsidy_application(users, owners):
    """subsidy_application(call, [(patent, kind), ...], username="qilu_ent") -> a submitted application (属地初审)."""
    from ipplatform.programmes import flows, services

    def make(call, claims, username="qilu_ent", submit=True):
        user = users[username]
        app = services.start_application(by=user, call=call, on=call.opens_on)
        services.save_form(by=user, application=app, raw=BANK)
        for patent, kind in claims:
            services.add_claim(by=user, application=app, patent_number=patent.pk, kind=kind, on=call.opens_on)
        if submit:
            flows.submit(application=app, by=user, on=call.opens_on)
        app.refresh_from_db()
        return app

    return make


@pytest.fixture
def to_decision(users):
    """Walk a submitted 专利资助 application through 属地初审 and 形式审查."""
    from ipplatform.programmes import flows

    def walk(app, city="city370100"):
        flows.check(application=app, by=users[city], action="pass", reason="材料齐全", on=app.call.opens_on)
        flows.check(application=app, by=users["guihua"], action="pass", reason="形式审查合格", on=app.call.opens_on)
        app.refresh_from_db()
        return app

    return walk
