"""Agency figures from the patent records, continuing education, the rating from rules as data; alliances and key
protected units, and the priority they give to complaints in protection."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from ipplatform.agencies import services
from ipplatform.agencies.models import RatingRule
from ipplatform.core.inputs import InputError
from ipplatform.core.workflow import history
from ipplatform.patents.models import Patent

ON = dt.date(2026, 6, 30)


def _patent(pk, agency, *, ptype="invention", filed, granted=None, ipc="H01M10/05", agency_code=""):
    return Patent.objects.create(
        id=pk,
        application_number=pk,
        patent_type=ptype,
        title=f"专利{pk}",
        application_date=filed,
        grant_date=granted,
        ipc_main=ipc,
        agency=agency,
        agency_code=agency_code,
        source="manual",
    )


@pytest.fixture
def agency(users, orgs):
    a = services.register_agency(
        by=users["leader"],
        organization=orgs["agency"],
        licence_no="37101（演示）",
        agency_code="37101",
        patent_names="济南齐鲁专利代理事务所（演示）",
    )
    name = orgs["agency"].name
    # inventions filed by 2023-06-30 count for the grant rate: 3 of them, 2 granted → 66.67 %
    _patent("201910000001", name, filed=dt.date(2019, 3, 1), granted=dt.date(2021, 5, 6))
    _patent(
        "202010000002",
        "济南齐鲁专利代理事务所（演示）",
        filed=dt.date(2020, 7, 1),
        granted=dt.date(2022, 9, 1),
        ipc="C08L23/06",
    )
    _patent("202110000003", "", filed=dt.date(2021, 1, 5), agency_code="37101")
    _patent("202410000004", name, filed=dt.date(2024, 2, 1))  # too recent for the grant rate
    _patent("202420000005", name, ptype="utility", filed=dt.date(2024, 3, 1), granted=dt.date(2024, 9, 1))
    _patent("202410000006", "别家代理所", filed=dt.date(2019, 1, 1), granted=dt.date(2020, 1, 1))
    return a


def test_figures_computed_from_the_agency_field(agency):
    f = services.figures(agency=agency, on=ON)
    assert f["total"] == 5 and (f["mature"], f["granted"], f["grant_rate"]) == (3, 2, Decimal("66.67"))
    assert [(y["year"], y["invention"], y["utility"], y["total"]) for y in f["years"]] == [
        (2019, 1, 0, 1),
        (2020, 1, 0, 1),
        (2021, 1, 0, 1),
        (2024, 1, 1, 2),
    ]
    assert f["fields"][0] == {"code": "H01M", "title": f["fields"][0]["title"], "count": 4}
    assert "代理机构代码为37101" in f["source"] and "2/3" in f["source"] and str(f["cutoff"]) == "2023-06-30"


def test_training_hours_and_the_rating(agency, users):
    a1 = services.add_agent(by=users["leader"], agency=agency, name="陈代理", qualification_no="Q-0001（演示）")
    a2 = services.add_agent(by=users["agency"], agency=agency, name="刘代理", qualification_no="Q-0002（演示）")
    with pytest.raises(InputError, match="已登记"):
        services.add_agent(by=users["leader"], agency=agency, name="重复", qualification_no="Q-0001（演示）")
    services.add_training(by=users["agency"], agent=a1, course="专利代理实务", on=dt.date(2026, 3, 1), hours="24")
    services.add_training(by=users["agency"], agent=a1, course="审查指南修改解读", on=dt.date(2026, 5, 1), hours=16)
    services.add_training(by=users["agency"], agent=a2, course="专利代理实务", on=dt.date(2026, 3, 1), hours="10")
    with pytest.raises(InputError, match="学时"):
        services.add_training(by=users["agency"], agent=a2, course="x", on=dt.date(2026, 3, 1), hours="0")
    rows = services.training_hours(agency=agency, year=2026)
    assert [(r["agent"].name, r["hours"], r["met"]) for r in rows] == [
        ("刘代理", Decimal("10.0"), False),
        ("陈代理", Decimal("40.0"), True),
    ]
    r = services.rate(agency=agency, year=2026, on=ON, by=users["leader"])
    pts = {d["rule"]: Decimal(d["points"]) for d in r.details}
    # grant rate 66.67 ≥ 60 → +5; half the agents short of 40 hours → 50 × −0.2 = −10 (cap 10); no incidents
    assert pts["grant_rate_high"] == 5 and pts["grant_rate_low"] == 0 and pts["training"] == -10 and pts["penalty"] == 0
    assert (r.score, r.grade) == (Decimal("95.00"), "A+")
    services.record_incident(
        by=users["leader"],
        agency=agency,
        kind="abnormal",
        on=dt.date(2025, 11, 3),
        description="代理非正常专利申请12件（演示数据）",
        is_demo=True,
    )
    services.record_incident(
        by=users["leader"],
        agency=agency,
        kind="penalty",
        on=dt.date(2023, 6, 29),
        description="超过三年，不计（演示数据）",
        is_demo=True,
    )
    r = services.rate(agency=agency, year=2026, on=ON)
    assert (r.score, r.grade) == (Decimal("85.00"), "A")
    # rules are data: raise the abnormal deduction and the grade follows
    RatingRule.objects.filter(code="abnormal").update(points=Decimal("-26"))
    assert (services.rate(agency=agency, year=2026, on=ON, save=False).grade) == "C"


def test_rating_without_agents_or_data(users, orgs):
    from ipplatform.core.models import Organization

    org = Organization.objects.create(name="青岛某专利代理事务所（演示）", kind="agency", region_code="370202")
    a = services.register_agency(by=users["leader"], organization=org, licence_no="37202（演示）")
    r = services.rate(agency=a, on=ON, save=False)
    notes = {d["rule"]: d["note"] for d in r.details}
    assert notes["grant_rate_high"] == "无可计算的数据，不计分" and (r.score, r.grade) == (
        Decimal("70.00"),
        "C",
    )  # no agents −30
    with pytest.raises(PermissionDenied):
        services.register_agency(by=users["city370200"], organization=org, licence_no="x")
    with pytest.raises(InputError, match="专利代理机构"):
        services.register_agency(by=users["leader"], organization=orgs["haier"], licence_no="x")


def test_agency_registry_scopes(agency, users):
    assert list(services.agencies_for(users["agency"])) == [agency]
    assert list(services.agencies_for(users["city370100"])) == [agency]  # the agency is in 济南
    assert list(services.agencies_for(users["city370200"])) == []
    assert list(services.agencies_for(users["haier"])) == []


def test_alliance_members_export_and_state(users, orgs):
    leader = users["leader"]
    a = services.create_alliance(
        by=leader,
        name="青岛家电产业知识产权保护联盟（演示数据）",
        field="家用电器",
        region_code="370200",
        lead=orgs["haier"],
        established_on=dt.date(2025, 4, 26),
        shared_resources="家电专利专题数据库；维权专家",
        industry="C",
    )
    m = services.add_member(by=users["haier"], alliance=a, organization=orgs["ouc"], joined_on=dt.date(2025, 5, 1))
    with pytest.raises(InputError, match="已是联盟成员"):
        services.add_member(by=leader, alliance=a, organization=orgs["ouc"])
    with pytest.raises(PermissionDenied):
        services.add_member(by=users["qilu_ent"], alliance=a, organization=orgs["ent_jinan"])
    assert (
        a in services.alliances_for(users["haier"])
        and a in services.alliances_for(users["city370200"])
        and a not in services.alliances_for(users["qilu_ent"])
    )
    services.remove_member(by=leader, member=m, reason="转入其他联盟", on=dt.date(2026, 1, 1))
    assert services.protection_priority(org=orgs["ouc"], on=dt.date(2025, 12, 31)) == [
        "青岛家电产业知识产权保护联盟（演示数据）成员单位"
    ]
    assert services.protection_priority(org=orgs["ouc"], on=dt.date(2026, 1, 1)) == []
    services.change_alliance_state(by=leader, alliance=a, name="dissolve", reason="演示")
    assert [h.transition for h in history(a)] == ["dissolve"] and services.protection_priority(org=orgs["haier"]) == []


def test_key_unit_designation_priority_and_export(users, orgs, client, settings, tmp_path):
    leader = users["leader"]
    u = services.designate(
        by=leader,
        organization=orgs["haier"],
        batch="演示数据：2026年度第一批",
        basis="演示数据：省级知识产权保护重点单位",
        valid_from=dt.date(2024, 2, 29),
        is_demo=True,
    )
    assert u.valid_to == dt.date(2027, 2, 27)  # three years, 29 Feb → 28 Feb, less a day
    with pytest.raises(InputError, match="已是重点保护单位"):
        services.designate(by=leader, organization=orgs["haier"], batch="x", basis="y", valid_from=dt.date(2026, 1, 1))
    with pytest.raises(PermissionDenied):
        services.designate(
            by=users["city370200"], organization=orgs["ent_jinan"], batch="x", basis="y", valid_from=dt.date(2026, 1, 1)
        )
    assert services.protection_priority(name=orgs["haier"].name, on=dt.date(2026, 3, 1))[0].startswith(
        "知识产权重点保护单位（演示数据：2026年度第一批"
    )
    assert services.protection_priority(name="海尔智家", on=dt.date(2026, 3, 1)) == []  # exact (folded) names only
    # a complaint by Haier becomes a priority case, shown on the case and first in the list
    from ipplatform.protection import services as ps

    settings.DATA_DIR = tmp_path
    other = ps.create_case(
        case_type="infringement",
        title="普通案件",
        by=users["city370200"],
        region_code="370211",
        requester_name="某个人",
        received_on=dt.date(2026, 3, 2),
    )
    case = ps.create_case(
        case_type="infringement",
        title="侵犯“一种洗衣机”发明专利权纠纷",
        by=users["city370200"],
        region_code="370211",
        requester_name=orgs["haier"].name,
        received_on=dt.date(2026, 3, 2),
    )
    assert case.priority and "重点保护单位" in case.priority_basis and not other.priority
    assert users["city370200"].notifications.filter(title=f"优先办理：{case.case_no}").exists()
    client.force_login(users["city370200"])
    page = client.get("/protection/").content.decode()
    assert page.index(case.case_no) < page.index(other.case_no) and "优先" in page
    assert "优先办理" in client.get(f"/protection/cases/{case.pk}/").content.decode()
    xl = client.get("/key-units/?export=xlsx")
    rows = list(load_workbook(io.BytesIO(xl.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == orgs["haier"].name and rows[1][-1] == "演示数据"
    services.revoke_unit(by=leader, unit=u, reason="演示")
    assert services.protection_priority(org=orgs["haier"], on=dt.date(2026, 3, 1)) == []
