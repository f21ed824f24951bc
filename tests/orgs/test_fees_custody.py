"""Annual-fee monitoring on worked dates (rules from patents.legalstate), reductions, reminders to holders and their
custodian agency, lapse-risk lists; custody contracts and statistics."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from ipplatform.core.inputs import InputError
from ipplatform.core.models import Notification
from ipplatform.orgs import custody as custody_svc
from ipplatform.orgs import fees
from ipplatform.orgs.models import FeeReduction
from ipplatform.patents.models import Applicant, LegalEvent, Patent, PatentApplicant

HOLDER = "济南时代新纪元科技有限公司"  # the qilu_ent demo enterprise (a real Jinan applicant)


def _patent(pk, *, filed, granted, paid=(), owner=HOLDER, ptype="invention"):
    p = Patent.objects.create(
        id=pk,
        application_number=pk,
        patent_type=ptype,
        title=f"一种焊接机器人{pk[-2:]}",
        application_date=filed,
        grant_date=granted,
        source="manual",
        region_code="370102",
        city_code="370100",
    )
    a, _ = Applicant.objects.get_or_create(name=owner)
    PatentApplicant.objects.create(patent=p, applicant=a, order=1)
    for day in paid:
        LegalEvent.objects.create(patent=p, date=day, code="fee_paid", source="测试")
    return Patent.objects.prefetch_related("legal_events", "fee_reductions").get(pk=pk)


@pytest.fixture
def holder(users, verified_claim):
    org = users["qilu_ent"].organization
    verified_claim(org)
    return org


def test_leap_day_filing_due_on_28_february_with_six_months_grace(holder):
    # filed 29 Feb 2016, granted 1 Jun 2018; fees paid each year up to the year due 28 Feb 2025
    paid = [
        dt.date(y, 2, 20) for y in range(2019, 2026)
    ]  # the grant-year fee is paid with the registration, not recorded here
    p = _patent("2016100000011", filed=dt.date(2016, 2, 29), granted=dt.date(2018, 6, 1), paid=paid)
    row = fees.fee_row(patent=p, on=dt.date(2026, 2, 1))
    assert (row.risk, row.due, row.days_left, row.year_no) == ("due_soon", dt.date(2026, 2, 28), 27, 11)
    row = fees.fee_row(patent=p, on=dt.date(2026, 3, 10))
    assert (row.risk, row.due, row.status.grace_end, row.status.surcharge_percent) == (
        "in_grace",
        dt.date(2026, 2, 28),
        dt.date(2026, 8, 28),
        0,
    )
    assert fees.fee_row(patent=p, on=dt.date(2026, 4, 10)).status.surcharge_percent == 5  # more than one month late
    assert fees.fee_row(patent=p, on=dt.date(2026, 8, 20)).status.surcharge_percent == 25  # the sixth month
    row = fees.fee_row(patent=p, on=dt.date(2026, 9, 1))
    assert row.risk == "lapsed" and row.status.lapsed_on == dt.date(
        2026, 2, 28
    )  # lapses from the due date (细则 art 115)
    LegalEvent.objects.create(patent=p, date=dt.date(2026, 5, 6), code="fee_paid", source="测试")
    p = Patent.objects.prefetch_related("legal_events", "fee_reductions").get(pk=p.pk)
    row = fees.fee_row(patent=p, on=dt.date(2026, 9, 1))
    assert row.risk == "ok" and row.due == dt.date(2027, 2, 28)


def test_no_fee_records_are_presumed_paid_and_reductions_are_shown(holder, users):
    p = _patent("2016100000022", filed=dt.date(2016, 5, 4), granted=dt.date(2019, 8, 20))
    FeeReduction.objects.create(
        patent=p, percent_payable=15, first_year=1, last_year=10, basis="专利收费减缴办法（财税〔2016〕78号）"
    )
    p = Patent.objects.prefetch_related("legal_events", "fee_reductions").get(pk=p.pk)
    assert fees.fee_row(patent=p, on=dt.date(2026, 1, 10)).risk == "unknown"
    row = fees.fee_row(patent=p, on=dt.date(2025, 4, 20))
    assert row.risk == "due_soon" and row.year_no == 10 and "缴纳15%" in row.reduction_text
    assert fees.fee_row(patent=p, on=dt.date(2026, 4, 20)).reduction is None  # year 11 is not covered


def test_reminders_go_to_the_holder_and_its_custodian_agency(holder, users):
    paid = [
        dt.date(y, 2, 20) for y in range(2019, 2026)
    ]  # the grant-year fee is paid with the registration, not recorded here
    p = _patent("2016100000033", filed=dt.date(2016, 2, 29), granted=dt.date(2018, 6, 1), paid=paid)
    on = dt.date(2026, 2, 10)
    assert fees.send_fee_reminders(on=on) == 1
    note = Notification.objects.get(user=users["qilu_ent"])
    assert "第11年度年费应于2026-02-28前缴纳" in note.title and "专利法实施细则第一百一十五条" in note.body
    assert fees.send_fee_reminders(on=on) == 0  # deduplicated
    # the agency takes the enterprise into custody: reminders now reach it too
    c = custody_svc.propose_custody(
        by=users["agency"],
        enterprise=holder,
        contract_no="TG-2026-01",
        start=dt.date(2026, 1, 1),
        end=dt.date(2027, 12, 31),
        services=["fees", "status"],
    )
    custody_svc.act(custody=c, by=users["qilu_ent"], action="accept")
    assert fees.send_fee_reminders(on=dt.date(2026, 3, 10)) == 2  # grace period: holder and agency
    agency_note = Notification.objects.get(user=users["agency"], title__contains="年费滞纳提醒")
    assert "（托管企业：济南时代新纪元科技有限公司）" in agency_note.title and "滞纳期至2026-08-28" in agency_note.title
    assert fees.send_fee_reminders(on=dt.date(2026, 4, 10)) == 2  # after a month of grace (5 % surcharge): again
    risk = fees.lapse_risk(region_prefix="3701", on=dt.date(2026, 3, 10))
    assert [(o.pk, r.patent.pk, r.risk) for o, r in risk] == [(holder.pk, p.pk, "in_grace")]
    assert fees.lapse_risk(region_prefix="3702", on=dt.date(2026, 3, 10)) == []


def test_custody_contract_rules_and_statistics(holder, users):
    big = users["haier"].organization
    with pytest.raises(InputError) as exc:
        custody_svc.propose_custody(
            by=users["agency"], enterprise=big, contract_no="X", start="2026-01-01", end="2026-12-31", services=["fees"]
        )
    assert "不是登记的小微企业" in exc.value.message
    with pytest.raises(PermissionDenied):
        custody_svc.propose_custody(
            by=users["qilu_ent"],
            enterprise=holder,
            contract_no="X",
            start="2026-01-01",
            end="2026-12-31",
            services=["fees"],
        )
    with pytest.raises(InputError) as exc:
        custody_svc.propose_custody(
            by=users["agency"], enterprise=holder, contract_no="X", start="2026-01-01", end="2026-12-31", services=[]
        )
    assert exc.value.field == "services"
    other = _patent("2016100000044", filed=dt.date(2016, 5, 4), granted=dt.date(2019, 8, 20), owner="山东大学")
    with pytest.raises(InputError) as exc:
        custody_svc.propose_custody(
            by=users["agency"],
            enterprise=holder,
            contract_no="X",
            start="2026-01-01",
            end="2026-12-31",
            services=["fees"],
            patent_ids=[other.pk],
        )
    assert "只能托管企业自有专利" in exc.value.message
    own = _patent("2016100000055", filed=dt.date(2016, 5, 4), granted=dt.date(2019, 8, 20))
    c = custody_svc.propose_custody(
        by=users["agency"],
        enterprise=holder,
        contract_no="TG-1",
        start="2026-01-01",
        end="2026-12-31",
        services=["fees", "portfolio"],
        patent_ids=[own.pk],
    )
    assert c.state == "proposed" and c.city_code == "370100"
    with pytest.raises(PermissionDenied):
        custody_svc.act(custody=c, by=users["agency"], action="accept")
    custody_svc.act(custody=c, by=users["qilu_ent"], action="accept")
    stats = custody_svc.statistics(qs=c.__class__.objects.all(), on=dt.date(2026, 6, 1))
    assert stats["by_city"] == [["济南市", 1, 1, 1]] and stats["by_agency"] == [
        [users["agency"].organization.name, 1, 1, 1]
    ]
    assert custody_svc.expire_custodies(on=dt.date(2027, 1, 1)) == 1
    assert custody_svc.statistics(qs=c.__class__.objects.all(), on=dt.date(2027, 1, 1))["total"] == [0, 0]


def test_recording_a_fee_reduction_checks_holder_range_and_overlap(holder, users, client):
    p = _patent("2016100000033", filed=dt.date(2016, 5, 4), granted=dt.date(2019, 8, 20))
    other = _patent(
        "2016100000044", filed=dt.date(2016, 5, 4), granted=dt.date(2019, 8, 20), owner="青岛某电器有限公司"
    )
    basis = "专利收费减缴办法（财税〔2016〕78号）第三条，减缴85%"
    r = fees.record_reduction(
        by=users["qilu_ent"],
        org=holder,
        patent_id=str(p.pk),
        percent_payable="15",
        first_year="1",
        last_year="10",
        basis=basis,
    )
    assert (r.percent_payable, r.first_year, r.last_year, r.recorded_by) == (15, 1, 10, users["qilu_ent"])
    with pytest.raises(InputError, match="第1至10年度已登记减缴"):  # overlapping years
        fees.record_reduction(
            by=users["city370100"],
            org=holder,
            patent_id=p.pk,
            percent_payable="30",
            first_year="10",
            last_year="12",
            basis=basis,
        )
    with pytest.raises(
        InputError, match="不在“济南时代新纪元科技有限公司”经核验认领的专利中"
    ):  # another holder's patent
        fees.record_reduction(
            by=users["qilu_ent"],
            org=holder,
            patent_id=other.pk,
            percent_payable="15",
            first_year="1",
            last_year="2",
            basis=basis,
        )
    with pytest.raises(InputError) as exc:
        fees.record_reduction(
            by=users["qilu_ent"],
            org=holder,
            patent_id=p.pk,
            percent_payable="100",
            first_year="11",
            last_year="12",
            basis=basis,
        )
    assert exc.value.field == "percent_payable"
    with pytest.raises(InputError, match="早于起始年度"):
        fees.record_reduction(
            by=users["qilu_ent"],
            org=holder,
            patent_id=p.pk,
            percent_payable="15",
            first_year="12",
            last_year="11",
            basis=basis,
        )
    for outsider in ("haier", "city370200", "bank"):
        with pytest.raises(PermissionDenied):
            fees.record_reduction(
                by=users[outsider],
                org=holder,
                patent_id=p.pk,
                percent_payable="15",
                first_year="11",
                last_year="12",
                basis=basis,
            )
    # through the page: the holder posts, the message names the patent and years; an empty basis is refused in Chinese
    client.force_login(users["qilu_ent"])
    r = client.post(
        f"/orgs/{holder.pk}/fee-reductions/",
        {
            "patent": p.pk,
            "percent_payable": "30",
            "first_year": "11",
            "last_year": "20",
            "basis": basis,
            "next": "/orgs/fees/",
        },
        follow=True,
    )
    assert "已登记费用减缴" in r.content.decode() and "第11至20年度缴纳30%" in r.content.decode()
    r = client.post(
        f"/orgs/{holder.pk}/fee-reductions/",
        {"patent": p.pk, "percent_payable": "30", "first_year": "1", "last_year": "1"},
        follow=True,
    )
    assert "请填写依据" in r.content.decode()
    assert FeeReduction.objects.filter(patent=p).count() == 2
    assert "登记费用减缴" in client.get("/orgs/fees/").content.decode()
