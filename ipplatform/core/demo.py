"""Demo organisations and accounts (one per role). Demo accounts are flagged `is_demo`; nothing else
creates accounts with known passwords."""

from __future__ import annotations

from django.db import transaction

from ipplatform.lib.uscc import check_character

from . import regions
from .enums import OrgKind, Role
from .models import Organization, User

DEMO_PASSWORD = "Demo@2015sd"
FICTIONAL_JINAN = "济南齐鲁新材料科技有限公司（演示）"
FICTIONAL_LAIWU = "莱芜钢城精密机械有限公司（演示）"

DEPARTMENTS = [
    "办公室",
    "规划发展处",
    "协调管理处",
    "法律事务处",
    "国际合作处",
    "企业办",
    "机关党委",
    "专利信息服务中心",
    "鉴定中心",
    "专利代办处",
]


def demo_uscc(seq: int, region: str = "370100") -> str:
    """A well-formed demo code (valid check character) for fictional demo enterprises."""
    first17 = f"91{region}MA{seq:07d}"[:17].replace("I", "J")
    return first17 + check_character(first17)


def _organization_specs() -> list[tuple[str, str, str, dict]]:
    """(key, name, kind, fields) of every demo organisation; parents are named by key."""
    specs = [("office", "山东省知识产权局", OrgKind.PROVINCE_OFFICE, {"region_code": "370000", "short_name": "省局"})]
    specs += [
        (f"dept:{d}", d, OrgKind.DEPARTMENT, {"parent": "office", "region_code": "370000", "short_name": d})
        for d in DEPARTMENTS
    ]
    specs += [
        (
            f"city:{code}",
            f"{name}知识产权局",
            OrgKind.CITY_BUREAU,
            {"parent": "office", "region_code": code, "short_name": name},
        )
        for code, name in regions.cities(regions.REVISION_2015)
    ]
    specs += [
        (
            "county:370211",
            "青岛市黄岛区知识产权局",
            OrgKind.COUNTY_BUREAU,
            {"parent": "city:370200", "region_code": "370211", "short_name": "黄岛区"},
        ),
        (
            "county:371202",
            "莱芜市莱城区知识产权局",
            OrgKind.COUNTY_BUREAU,
            {"parent": "city:371200", "region_code": "371202", "short_name": "莱城区"},
        ),
        # Demo enterprises and universities are real Shandong applicants of the records in data/patents_cn, linked (by
        # orgs.demo) only to their own applicant names through verified claims. Their USCCs are not in the records and
        # are left blank rather than invented; size is a demo setting (is_sme) so the SME programmes can be shown.
        (
            "haier",
            "海尔智家股份有限公司",
            OrgKind.ENTERPRISE,
            {"region_code": "370212", "uscc": "", "address": "山东省青岛市"},
        ),
        (
            "ent_jinan",
            "济南时代新纪元科技有限公司",
            OrgKind.ENTERPRISE,
            {"region_code": "370100", "uscc": "", "is_sme": True, "address": "山东省济南市"},
        ),
        (
            "ent_laiwu",
            "莱芜钢铁集团有限公司",
            OrgKind.ENTERPRISE,
            {"region_code": "371200", "uscc": "", "is_sme": True, "address": "山东省莱芜市"},
        ),
        ("sdu", "山东大学", OrgKind.UNIVERSITY, {"region_code": "370102", "address": "山东省济南市历城区山大南路27号"}),
        (
            "ouc",
            "中国海洋大学",
            OrgKind.UNIVERSITY,
            {"region_code": "370202", "address": "山东省青岛市崂山区松岭路238号"},
        ),
        ("institute", "山东省科学院", OrgKind.INSTITUTE, {"region_code": "370102"}),
        # Two fictional enterprises (names end in （演示）, demo USCCs, no patents): the census answers, the credit event,
        # the alliance and the key-unit designation of the demo are about them, so no fact is invented about a real body.
        (
            "fict_jinan",
            FICTIONAL_JINAN,
            OrgKind.ENTERPRISE,
            {
                "region_code": "370112",
                "uscc": demo_uscc(1, "370112"),
                "is_sme": True,
                "address": "山东省济南市历城区（演示）",
            },
        ),
        (
            "fict_laiwu",
            FICTIONAL_LAIWU,
            OrgKind.ENTERPRISE,
            {
                "region_code": "371203",
                "uscc": demo_uscc(2, "371203"),
                "is_sme": True,
                "address": "山东省莱芜市钢城区（演示）",
            },
        ),
        ("agency", "济南齐鲁专利事务所（演示）", OrgKind.AGENCY, {"region_code": "370102"}),
        ("bank", "齐鲁银行（演示）", OrgKind.BANK, {"region_code": "370102"}),
        ("insurer", "山东人保财险（演示）", OrgKind.INSURER, {"region_code": "370102"}),
        ("guarantor", "山东省科技融资担保（演示）", OrgKind.GUARANTOR, {"region_code": "370102"}),
        ("valuer", "山东知识产权评估中心（演示）", OrgKind.VALUER, {"region_code": "370102"}),
        ("center_nat", "国家专利技术（济南）展示交易中心", OrgKind.TRADING_CENTER, {"region_code": "370100"}),
        ("center_prov", "山东省专利技术（青岛）展示交易中心", OrgKind.TRADING_CENTER, {"region_code": "370200"}),
        ("police", "山东省公安厅经济犯罪侦查总队", OrgKind.PARTNER_AGENCY, {"region_code": "370000"}),
        ("amr", "山东省市场监督管理局", OrgKind.PARTNER_AGENCY, {"region_code": "370000"}),
        ("customs", "青岛海关", OrgKind.PARTNER_AGENCY, {"region_code": "370200"}),
    ]
    return specs


@transaction.atomic
def create_organizations() -> dict[str, Organization]:
    """Create or update the demo organisations; returns them by key ('office', 'dept:法律事务处', 'city:370200', 'haier', …)."""
    orgs: dict[str, Organization] = {}
    for key, name, kind, fields in _organization_specs():
        fields = dict(fields)
        if "parent" in fields:
            fields["parent"] = orgs[fields["parent"]]
        orgs[key], _ = Organization.objects.update_or_create(kind=kind, name=name, defaults=fields)
    return orgs


def existing_organizations() -> dict[str, Organization] | None:
    """The demo organisations by key when all of them exist already (read only), else None."""
    specs = _organization_specs()
    rows = {(o.kind, o.name): o for o in Organization.objects.filter(name__in=[name for _, name, _, _ in specs])}
    found = {key: rows.get((kind, name)) for key, name, kind, _ in specs}
    return found if all(found.values()) else None


def _account(username, role, org, real_name, *, staff=False, superuser=False, expert_fields=""):
    user, _ = User.objects.get_or_create(username=username)
    user.role, user.organization, user.real_name, user.is_demo = role, org, real_name, True
    user.is_staff, user.is_superuser, user.expert_fields = staff or superuser, superuser, expert_fields
    user.set_password(DEMO_PASSWORD)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def create_accounts(orgs: dict[str, Organization]) -> list[tuple[str, str, str]]:
    """Create one demo account per role (city officers for every city); returns (username, role, organization)."""
    specs = [
        ("admin", Role.PROVINCE_ADMIN, orgs["office"], "系统管理员", {"superuser": True}),
        ("leader", Role.PROVINCE_LEADER, orgs["office"], "局领导"),
        ("bangongshi", Role.DEPARTMENT_STAFF, orgs["dept:办公室"], "办公室 王秘书"),
        ("guihua", Role.DEPARTMENT_STAFF, orgs["dept:规划发展处"], "规划发展处 李处长"),
        ("xietiao", Role.DEPARTMENT_STAFF, orgs["dept:协调管理处"], "协调管理处 张科长"),
        ("fawu", Role.DEPARTMENT_STAFF, orgs["dept:法律事务处"], "法律事务处 赵执法"),
        ("jianding", Role.DEPARTMENT_STAFF, orgs["dept:鉴定中心"], "鉴定中心 钱鉴定"),
        ("xinxi", Role.DEPARTMENT_STAFF, orgs["dept:专利信息服务中心"], "信息中心 孙分析"),
        ("daiban", Role.DEPARTMENT_STAFF, orgs["dept:专利代办处"], "代办处 周"),
        ("huangdao", Role.COUNTY_OFFICER, orgs["county:370211"], "黄岛区局 吴"),
        ("haier", Role.ENTERPRISE_USER, orgs["haier"], "海尔智家知识产权部"),
        ("qilu_ent", Role.ENTERPRISE_USER, orgs["ent_jinan"], "时代新纪元 郑经理"),
        ("laiwu_ent", Role.ENTERPRISE_USER, orgs["ent_laiwu"], "莱钢集团 冯经理"),
        ("sdu", Role.UNIVERSITY_USER, orgs["sdu"], "山东大学技术转移中心"),
        ("agency", Role.AGENCY_USER, orgs["agency"], "齐鲁专利事务所 陈代理"),
        ("bank", Role.FINANCE_USER, orgs["bank"], "齐鲁银行 科技金融部"),
        ("insurer", Role.FINANCE_USER, orgs["insurer"], "人保财险 专利保险部"),
        ("expert", Role.EXPERT, None, "侵权判定专家 褚教授", {"expert_fields": "H01M;C08L;机械"}),
        ("public", Role.PUBLIC, None, "公众用户 卫女士"),
    ]
    out = []
    for spec in specs:
        username, role, org, name = spec[:4]
        extra = spec[4] if len(spec) > 4 else {}
        _account(username, role, org, name, **extra)
        out.append((username, Role(role).label, org.name if org else "—"))
    for code, city in regions.cities(regions.REVISION_2015):
        username = f"city{code}"
        _account(username, Role.CITY_OFFICER, orgs[f"city:{code}"], f"{city}局 工作人员")
        out.append((username, Role.CITY_OFFICER.label, orgs[f"city:{code}"].name))
    return out
