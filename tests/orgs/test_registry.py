"""The registry: USCC check character and region proposal, size classes by the 2017 criteria, duplicates by USCC and
folded name, self-registration verified by the city bureau, bulk Excel import with row-level errors."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from ipplatform.core.inputs import InputError
from ipplatform.core.models import Organization
from ipplatform.core.workflow import history
from ipplatform.lib.uscc import check_character
from ipplatform.orgs import services
from ipplatform.orgs.models import FormerName, Registration


def code(first17: str) -> str:
    return first17 + check_character(first17)


VALID = code("91370102MA3C5X8Y0")  # registered in 历下区 (370102)


def org_data(**kw):
    return {
        "kind": "enterprise",
        "name": "山东示例精工科技有限公司",
        "uscc": VALID,
        "address": "济南市历下区",
        "size_class": "small",
        "industry_code": "34",
        "contact_person": "王工",
        "contact_phone": "0531-88880000",
        **kw,
    }


def test_uscc_check_character_and_region(reference_data):
    assert services.uscc_region(VALID) == ("370102", "历下区")
    assert services.uscc_region(code("91370211MA3C5X8Y0"))[0] == "370211"  # 黄岛区
    with pytest.raises(InputError) as exc:
        services.clean_org_data(org_data(uscc=VALID[:17] + ("0" if VALID[17] != "0" else "1")))
    assert f"第18位应为“{VALID[17]}”" in exc.value.message and exc.value.field == "uscc"
    with pytest.raises(InputError) as exc:
        services.clean_org_data(org_data(uscc="91370102MA3C5X8Y"))
    assert "应为18位，实际为16位" in exc.value.message
    with pytest.raises(InputError) as exc:
        services.clean_org_data(org_data(uscc=code("91110108MA3C5X8Y0")))  # Beijing 海淀
    assert "不在山东省" in exc.value.message
    # the region comes from the code when none is chosen, and a chosen region wins
    assert services.clean_org_data(org_data())["region_code"] == "370102"
    assert services.clean_org_data(org_data(region_code="370112"))["region_code"] == "370112"


@pytest.mark.parametrize(
    "industry, employees, revenue, assets, expected",
    [
        ("C", 1200, 50000, None, "large"),  # 工业：X≥1000 且 Y≥40000
        ("34", 1200, 30000, None, "medium"),  # 一项未达大型下限：下划一档
        ("34", 150, 1500, None, "small"),  # 20≤X<300, 300≤Y<2000
        ("34", 15, 5000, None, "micro"),  # X<20：微型
        ("51", 30, 6000, None, "medium"),  # 批发业：20≤X<200, 5000≤Y<40000
        ("65", 50, 800, None, "small"),  # 软件：10≤X<100, 50≤Y<1000
        ("70", None, 150000, 8000, "medium"),  # 房地产开发经营：Y、Z
        ("83", 120, None, None, "medium"),  # 其他未列明行业：从业人员
    ],
)
def test_size_class_by_the_2017_criteria(industry, employees, revenue, assets, expected):
    klass, why = services.size_class_of(industry_code=industry, employees=employees, revenue=revenue, assets=assets)
    assert klass == expected and "2017" in why


def test_size_class_needs_every_indicator():
    klass, why = services.size_class_of(industry_code="C", employees=100)
    assert klass == "" and "营业收入" in why


def test_industry_codes_are_the_gbt4754_sections_and_divisions(reference_data):
    table = services.industries()
    assert len([c for c, _, p in table if not p]) == 20 and len([c for c, _, p in table if p]) == 97
    assert (
        services.industry_name("39") == "39 计算机、通信和其他电子设备制造业" and services.industry_section("39") == "C"
    )
    with pytest.raises(InputError) as exc:
        services.clean_org_data(org_data(industry_code="99"))
    assert "不在GB/T 4754-2017" in exc.value.message


def test_duplicates_by_uscc_and_folded_name(users):
    org, _ = services.self_register(data=org_data(), username="shiligong", password="Xk#29vLq!m", real_name="王工")
    services.add_former_name(org=org, name="济南示例精工有限公司", used_until="2020-01-02")
    assert [r for _, r in services.duplicates(uscc=VALID)] == [
        f"统一社会信用代码{VALID}与“山东示例精工科技有限公司”相同"
    ]
    # full-width brackets, traditional characters and spaces fold to the same name
    assert services.duplicates(name="山東示例精工科技 有限公司")[0][0] == org
    assert "曾用名“济南示例精工有限公司”" in services.duplicates(name="济南示例精工有限公司")[0][1]
    with pytest.raises(InputError) as exc:
        services.self_register(
            data=org_data(name="山东示例精工科技（有限）公司"), username="other1", password="Xk#29vLq!m", real_name="李"
        )
    assert "重复" in exc.value.message


def test_self_registration_is_verified_by_its_city_bureau(users):
    org, user = services.self_register(data=org_data(), username="shiligong", password="Xk#29vLq!m", real_name="王工")
    assert user.role == "enterprise_user" and user.organization == org and user.check_password("Xk#29vLq!m")
    reg = Registration.objects.get(organization=org)
    assert reg.state == "pending" and not services.is_verified(org)
    assert users["city370100"].notifications.filter(title__contains="山东示例精工科技有限公司").exists()
    with pytest.raises(PermissionDenied):  # another city's bureau
        services.decide_registration(registration=reg, by=users["city370200"], approve=True)
    with pytest.raises(InputError):
        services.decide_registration(
            registration=reg, by=users["city370100"], approve=False
        )  # a rejection needs a reason
    services.decide_registration(registration=reg, by=users["city370100"], approve=True, reason="与营业执照核对一致")
    assert services.is_verified(org)
    assert [(t.source, t.target, t.actor_name) for t in history(reg)] == [("pending", "verified", "city370100")]


def test_rename_records_the_former_name(users):
    org, user = services.self_register(data=org_data(), username="shiligong", password="Xk#29vLq!m", real_name="王工")
    services.update_organization(
        org=org, data=org_data(name="山东示例精工集团有限公司", renamed_on="2025-06-30"), by=user
    )
    former = FormerName.objects.get(organization=org)
    assert former.name == "山东示例精工科技有限公司" and str(former.used_until) == "2025-06-30"


def _xlsx(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append([label for _, label in services.IMPORT_COLUMNS])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "机构名单.xlsx"
    return buf


def test_bulk_import_reports_bad_rows_by_line_and_field(users):
    rows = [
        [
            "山东甲乙机械有限公司",
            "企业",
            code("91370202MA3C5X8Y1"),
            "",
            "青岛市市南区",
            "小型",
            "34",
            "",
            "",
            "",
            "青岛甲乙机械厂@2018-03-01",
        ],
        [
            "山东丙丁银行",
            "银行",
            code("91370100MA3C5X8Y2")[:17] + "0",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],  # check character
        ["某某协会", "行业协会", code("51370000MA3C5X8Y3"), "", "", "", "XX", "", "", "", ""],  # industry
        [
            "山东甲乙机械有限公司",
            "企业",
            code("91370202MA3C5X8Y4"),
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],  # same name as line 2
        ["山东戊己认证有限公司", "外星机构", code("91370300MA3C5X8Y5"), "", "", "", "", "", "", "", ""],  # kind
    ]
    if code("91370100MA3C5X8Y2")[17] == "0":
        rows[1][2] = code("91370100MA3C5X8Y2")[:17] + "1"
    report = services.import_organizations(fileobj=_xlsx(rows), by=users["admin"])
    assert not report.committed and Organization.objects.filter(name="山东甲乙机械有限公司").count() == 0
    errors = {(e["line"], e["field"]) for e in report.errors}
    assert errors == {(3, "统一社会信用代码"), (4, "行业代码"), (5, "机构名称"), (6, "机构类型")}
    assert any("第18位应为" in e["reason"] for e in report.errors) and any(
        "与本文件第2行重复" in e["reason"] for e in report.errors
    )
    report = services.import_organizations(fileobj=_xlsx(rows), by=users["admin"], commit_good_rows=True)
    org = Organization.objects.get(name="山东甲乙机械有限公司")
    assert report.committed and [o.pk for o in report.created] == [org.pk]
    assert (
        org.region_code == "370202"
        and org.size_class == "small"
        and org.is_sme
        and org.former_names.get().name == "青岛甲乙机械厂"
    )
    with pytest.raises(PermissionDenied):
        services.import_organizations(fileobj=_xlsx(rows), by=users["city370100"])
    bad = io.BytesIO(b"not excel")
    bad.name = "x.xlsx"
    with pytest.raises(InputError) as exc:
        services.import_organizations(fileobj=bad, by=users["admin"])
    assert "无法读取" in exc.value.message


def test_size_figures_on_the_form_set_or_contradict_the_size_class(reference_data):
    assert (
        services.clean_org_data(org_data(size_class="", industry_code="34", employees="150", revenue="1500"))[
            "size_class"
        ]
        == "small"
    )
    with pytest.raises(InputError) as exc:
        services.clean_org_data(org_data(size_class="large", industry_code="34", employees="150", revenue="1500"))
    assert "所选规模与划分标准不符" in exc.value.message and "小型" in exc.value.message
    with pytest.raises(InputError) as exc:
        services.clean_org_data(org_data(industry_code="34", employees="-3"))
    assert exc.value.field == "employees"
