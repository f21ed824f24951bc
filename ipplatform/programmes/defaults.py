"""The programme types the office runs, as data (ensure_programmes() creates or refreshes them).

Amounts marked 模拟数据 are demonstration values, not taken from a policy text: the office enters the amounts of its
real measures (资助办法) as a new year's policy (policies.save_policy, the 资助政策 page) before a real call."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from .models import Policy, ProgrammeType
from .schemes import SCHEMES

PATENT_SUBSIDY = "patent_subsidy"
PATENT_AWARD = "patent_award"

APPLICANT_KINDS = ["enterprise", "university", "institute"]
BANK_FIELDS = [
    {"name": "contact", "label": "联系人", "type": "text", "required": True, "max_length": 30},
    {"name": "phone", "label": "联系电话", "type": "text", "required": True, "max_length": 30},
    {"name": "bank", "label": "开户银行", "type": "text", "required": True, "max_length": 100},
    {"name": "account", "label": "银行账号", "type": "text", "required": True, "max_length": 40},
]

PROGRAMMES = [
    {
        "code": PATENT_SUBSIDY,
        "name": "专利资助",
        "claims_patents": True,
        "description": "对本省单位的专利申请和授权按件给予资助；每件专利每类资助只可申请一次，按年度政策标准核定，每单位每年有上限，"
        "经属地初审、省局形式审查后决定，按单位集中兑付。",
        "form_fields": BANK_FIELDS
        + [{"name": "note", "label": "补充说明", "type": "textarea", "required": False, "max_length": 500}],
        "attachments": [
            {"code": "licence", "label": "营业执照或法人证书", "required": False, "exts": [".pdf", ".jpg", ".png"]}
        ],
        "eligibility": [
            {"rule": "org_kinds", "kinds": APPLICANT_KINDS},
            {"rule": "region", "prefix": "37"},
            {"rule": "not_dishonest"},
        ],
        "stages": [
            {"code": "city_check", "label": "属地初审", "actor": "city"},
            {"code": "formal_check", "label": "形式审查", "actor": "office"},
            {"code": "decision", "label": "资助决定", "actor": "office"},
            {"code": "payment", "label": "集中兑付", "actor": "office"},
        ],
        "decision": {"kind": "funding"},
        "notice_days": 5,
    },
    {
        "code": PATENT_AWARD,
        "name": "山东省专利奖",
        "claims_patents": False,
        "description": "奖励在本省实施并取得显著效益的发明专利：市局推荐，省局形式审查，专家评审（去掉最高分和最低分取平均），"
        "按名额评定特别奖、一等奖、二等奖、三等奖，公示5个工作日，颁发证书。",
        "form_fields": [
            {"name": "patent_number", "label": "参评专利申请号", "type": "text", "required": True, "max_length": 20},
            {"name": "summary", "label": "专利技术简介", "type": "textarea", "required": True, "max_length": 2000},
            {
                "name": "sales",
                "label": "近三年新增销售额（万元）",
                "type": "decimal",
                "required": True,
                "min": 0,
                "max": 100000000,
            },
            {
                "name": "implementation",
                "label": "实施情况",
                "type": "choice",
                "required": True,
                "choices": ["自行实施", "许可实施", "转让实施"],
            },
            {
                "name": "recommendation",
                "label": "推荐单位意见",
                "type": "textarea",
                "required": False,
                "max_length": 500,
            },
        ]
        + BANK_FIELDS[:2],
        "attachments": [{"code": "evidence", "label": "经济效益证明材料", "required": False, "exts": [".pdf"]}],
        "eligibility": [
            {"rule": "org_kinds", "kinds": APPLICANT_KINDS},
            {"rule": "region", "prefix": "37"},
            {"rule": "not_dishonest"},
            {"rule": "patents_held", "min": 1, "types": ["invention"], "granted": True},
            {"rule": "no_recent_award", "years": 2},
        ],
        "stages": [
            {"code": "city_check", "label": "属地推荐", "actor": "city"},
            {"code": "formal_check", "label": "形式审查", "actor": "office"},
            {"code": "review", "label": "专家评审", "actor": "expert"},
            {"code": "notice", "label": "公示", "actor": "office", "notice": True},
            {"code": "decision", "label": "授奖决定", "actor": "office"},
            {"code": "certificate", "label": "颁发证书", "actor": "office"},
        ],
        "review": {
            "criteria": [
                {"code": "advanced", "label": "技术先进性", "weight": 30, "min": 0, "max": 30},
                {"code": "novelty", "label": "创新程度", "weight": 20, "min": 0, "max": 20},
                {"code": "benefit", "label": "实施情况及经济效益", "weight": 30, "min": 0, "max": 30},
                {"code": "social", "label": "社会效益", "weight": 10, "min": 0, "max": 10},
                {"code": "protection", "label": "专利保护状况", "weight": 10, "min": 0, "max": 10},
            ],
            "experts": 5,
            "trim": 1,
            "dispersion": 12,
            "blind": True,
            "expert_use": "awards",
        },
        "decision": {"kind": "award", "levels": ["特别奖", "一等奖", "二等奖", "三等奖"], "certificate": True},
        "notice_days": 5,
    },
]

# 专利资助 policies by year (模拟数据: the amounts illustrate two policy generations, they are not a policy text).
POLICIES = [
    {
        "programme": PATENT_SUBSIDY,
        "year": 2015,
        "title": "专利申请及授权资助标准（演示）",
        "is_simulated": True,
        "basis": "模拟数据：演示“申请与授权均资助、多类型”的政策",
        "cap_per_applicant": "200000",
        "amounts": {
            "invention:application": "1000",
            "invention:grant": "4000",
            "utility:grant": "500",
            "design:grant": "300",
        },
    },
    {
        "programme": PATENT_SUBSIDY,
        "year": 2016,
        "title": "发明专利授权资助标准（演示）",
        "is_simulated": True,
        "basis": "模拟数据：演示“只资助授权发明专利”的政策",
        "cap_per_applicant": "100000",
        "amounts": {"invention:grant": "5000"},
    },
]


def ensure_types(specs, *, refresh: bool = False) -> dict[str, ProgrammeType]:
    """Create the programme types defined by `specs` that are missing (refresh=True: rewrite existing ones from the
    definitions); returns them by code. Apps that define schemes of their own (finance) call this too."""
    out = {}
    for spec in specs:
        spec = dict(spec)
        code = spec.pop("code")
        found = ProgrammeType.objects.filter(code=code).first()
        if found is None or refresh:
            found, _ = ProgrammeType.objects.update_or_create(code=code, defaults=spec)
        out[code] = found
    return out


@transaction.atomic
def ensure_programmes(*, refresh: bool = False) -> dict[str, ProgrammeType]:
    """Create the programme types (专利资助, 省专利奖 and the schemes of schemes.py) and policies that are missing
    (refresh=True: also rewrite existing ones from the definitions above); returns the types by code."""
    out = ensure_types(PROGRAMMES + SCHEMES, refresh=refresh)
    for spec in POLICIES:
        spec = dict(spec)
        programme, year = out[spec.pop("programme")], spec.pop("year")
        spec["cap_per_applicant"] = Decimal(spec["cap_per_applicant"])
        if refresh or not Policy.objects.filter(programme=programme, year=year).exists():
            Policy.objects.update_or_create(programme=programme, year=year, defaults=spec)
    return out
