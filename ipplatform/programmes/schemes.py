"""The other schemes of the 2015 work plan as data (defaults.ensure_programmes() loads them with 专利资助 and 省专利奖).

Thresholds, amounts and caps below are 模拟数据 (演示): no policy text of these schemes is held by the platform; the
office replaces them in the programme editor before a real call. Each scheme's `basis` says so."""

from __future__ import annotations

SIMULATED = "模拟数据：门槛、金额和上限为演示值，并非出自政策文本，正式申报前由省局按实际办法修改"

STAR = "star_enterprise"
COMPLIANT = "compliant_enterprise"
ADVANTAGE = "advantage_recommend"
STANDARD = "standard_subsidy"
PILOT = "pilot_assessment"
OPERATION_PILOT = "operation_pilot"
RIGHTS_FUND = "rights_fund"
OPERATION_FUND = "operation_fund"

ENTERPRISE = ["enterprise"]
ORGS = ["enterprise", "university", "institute"]
CONTACT = [
    {"name": "contact", "label": "联系人", "type": "text", "required": True, "max_length": 30},
    {"name": "phone", "label": "联系电话", "type": "text", "required": True, "max_length": 30},
]
BANK = CONTACT + [
    {"name": "bank", "label": "开户银行", "type": "text", "required": True, "max_length": 100},
    {"name": "account", "label": "银行账号", "type": "text", "required": True, "max_length": 40},
]
BASE_RULES = [{"rule": "region", "prefix": "37"}, {"rule": "not_dishonest"}]
LICENCE = {"code": "licence", "label": "营业执照或法人证书", "required": False, "exts": [".pdf", ".jpg", ".png"]}


def _num(name, label, *, required=True, kind="integer", lo=0, hi=10**9, computed=None):
    out = {"name": name, "label": label, "type": kind, "required": required, "min": lo, "max": hi}
    if computed:
        out["computed"] = computed  # indicators.py computes the same figure from the platform's records
    return out


def _text(name, label, *, required=True, long=True, limit=2000):
    kind = "textarea" if long else "text"
    return {"name": name, "label": label, "type": kind, "required": required, "max_length": limit}


def _review(*criteria, experts=3, blind=False, use=""):
    return {
        "criteria": [
            {"code": code, "label": label, "weight": weight, "min": 0, "max": weight}
            for code, label, weight in criteria
        ],
        "experts": experts,
        "trim": 1 if experts >= 5 else 0,
        "dispersion": 15,
        "blind": blind,
        "expert_use": use,
    }


CITY_CHECK = {"code": "city_check", "label": "属地推荐", "actor": "city"}
FORMAL = {"code": "formal_check", "label": "形式审查", "actor": "office"}
REVIEW = {"code": "review", "label": "专家评审", "actor": "expert"}
NOTICE = {"code": "notice", "label": "公示", "actor": "office", "notice": True}
PAYMENT = {"code": "payment", "label": "集中兑付", "actor": "office"}
CHECK_FIELDS = [
    _text("progress", "目标任务完成情况"),
    _text("spending", "资金使用情况", required=False),
    _num("new_patents", "期内新增专利申请（件）", required=False),
]

SCHEMES = [
    {
        "code": STAR,
        "name": "中国专利山东明星企业",
        "description": "认定专利工作突出、专利实施效益显著的企业为“中国专利山东明星企业”，市局推荐，专家评审，公示5个工作日后"
        "认定，称号有效期3年，期间年度复核，复核不合格的撤销称号。" + SIMULATED + "。",
        "form_fields": [
            _num("invention_valid", "有效发明专利（件，申报值）", computed="org_valid_inventions"),
            _num("sales", "上年度专利产品销售收入（万元）", kind="decimal", hi=100000000),
            _text("management", "专利管理制度与机构"),
            _text("highlights", "专利运用与保护成效"),
        ]
        + CONTACT,
        "attachments": [LICENCE, {"code": "report", "label": "专利工作总结", "required": True, "exts": [".pdf"]}],
        "eligibility": [
            {"rule": "org_kinds", "kinds": ENTERPRISE},
            *BASE_RULES,
            {"rule": "patents_held", "min": 1, "types": ["invention"], "granted": True},
            {"rule": "no_recent_award", "years": 3},
        ],
        "stages": [
            CITY_CHECK,
            FORMAL,
            REVIEW,
            NOTICE,
            {"code": "decision", "label": "认定决定", "actor": "office"},
            {"code": "certificate", "label": "授予称号", "actor": "office"},
        ],
        "review": _review(
            ("portfolio", "专利数量与质量", 30),
            ("benefit", "专利实施效益", 40),
            ("management", "专利管理与保护", 30),
        ),
        "decision": {
            "kind": "recognition",
            "outcome": "认定",
            "certificate": True,
            "cert_prefix": "鲁专明星",
            "org_status": {"label": "中国专利山东明星企业", "years": 3},
            "checks": {"kinds": ["annual"], "form_fields": CHECK_FIELDS},
        },
        "notice_days": 5,
    },
    {
        "code": COMPLIANT,
        "name": "省级知识产权达标企业验收",
        "description": "对按《企业知识产权管理规范》开展达标工作的企业组织验收：市局初审推荐，省局形式审查，专家现场验收评分，"
        "通过的认定为山东省知识产权达标企业（有效期3年）。" + SIMULATED + "。",
        "form_fields": [
            _num("ip_staff", "专职知识产权工作人员（人）", hi=10000),
            _num("ip_budget", "年度知识产权经费（万元）", kind="decimal", hi=1000000),
            _text("system", "知识产权管理制度建设情况"),
        ]
        + CONTACT,
        "attachments": [LICENCE, {"code": "self_eval", "label": "达标自评报告", "required": True, "exts": [".pdf"]}],
        "eligibility": [{"rule": "org_kinds", "kinds": ENTERPRISE}, *BASE_RULES],
        "stages": [
            {"code": "city_check", "label": "市局初审", "actor": "city"},
            FORMAL,
            {"code": "review", "label": "专家验收", "actor": "expert"},
            {"code": "decision", "label": "验收结论", "actor": "office"},
        ],
        "review": _review(
            ("organisation", "机构与人员", 25),
            ("rules", "制度与流程", 25),
            ("resources", "经费与资源保障", 20),
            ("results", "实施效果", 30),
        ),
        "decision": {
            "kind": "recognition",
            "outcome": "验收合格",
            "certificate": True,
            "cert_prefix": "鲁知达标",
            "org_status": {"label": "山东省知识产权达标企业", "years": 3},
        },
        "notice_days": 5,
    },
    {
        "code": ADVANTAGE,
        "name": "国家级知识产权优势培育企业推荐",
        "description": "从省级知识产权达标企业和中国专利山东明星企业中择优推荐国家知识产权优势企业培育单位：市局推荐，"
        "专家评审，公示后由省局行文推荐至国家知识产权局。" + SIMULATED + "。",
        "form_fields": [
            _num("invention_valid", "有效发明专利（件，申报值）", computed="org_valid_inventions"),
            _text("plan", "知识产权优势培育工作方案"),
        ]
        + CONTACT,
        "attachments": [{"code": "plan", "label": "培育工作方案", "required": True, "exts": [".pdf", ".docx"]}],
        "eligibility": [
            {"rule": "org_kinds", "kinds": ENTERPRISE},
            *BASE_RULES,
            {"rule": "status_held", "labels": ["山东省知识产权达标企业", "中国专利山东明星企业"]},
            {"rule": "patents_held", "min": 1, "types": ["invention"], "granted": True},
        ],
        "stages": [
            CITY_CHECK,
            FORMAL,
            REVIEW,
            NOTICE,
            {"code": "decision", "label": "推荐决定", "actor": "office"},
        ],
        "review": _review(("strength", "知识产权基础", 40), ("plan", "培育方案可行性", 30), ("impact", "行业带动", 30)),
        "decision": {"kind": "recognition", "outcome": "推荐至国家知识产权局"},
        "notice_days": 5,
    },
    {
        "code": STANDARD,
        "name": "企业知识产权管理规范（贯标）资助",
        "description": "对通过GB/T 29490—2013《企业知识产权管理规范》认证的本省企业给予一次性资助：须持有认证机构颁发的有效"
        "认证证书（上传证书并填写证书信息，提交时核验），市局初审，省局审查后决定，集中兑付。" + SIMULATED + "。",
        "form_fields": [
            _text("cert_no", "认证证书编号", long=False, limit=60),
            _text("cert_body", "认证机构", long=False, limit=100),
            {"name": "cert_issued", "label": "证书颁发日期", "type": "date", "required": True},
            {"name": "cert_valid_until", "label": "证书有效期至", "type": "date", "required": True},
            _text("cert_scope", "认证范围", long=False, limit=300),
        ]
        + BANK,
        "attachments": [
            LICENCE,
            {
                "code": "certificate",
                "label": "知识产权管理体系认证证书",
                "required": True,
                "exts": [".pdf", ".jpg", ".png"],
            },
        ],
        "eligibility": [
            {"rule": "org_kinds", "kinds": ENTERPRISE},
            *BASE_RULES,
            {"rule": "certified", "standard": "GB/T 29490", "issued_within_years": 2},
            {"rule": "no_recent_award", "years": 3},
        ],
        "stages": [
            {"code": "city_check", "label": "属地初审", "actor": "city"},
            FORMAL,
            {"code": "decision", "label": "资助决定", "actor": "office"},
            PAYMENT,
        ],
        "decision": {"kind": "funding", "amount": "50000"},
        "notice_days": 5,
    },
    {
        "code": PILOT,
        "name": "知识产权试点示范考核（城市、园区、县）",
        "description": "对知识产权试点示范城市、园区和县（市、区）组织考核：申报单位填报考核指标，平台按本平台专利记录和人口数据"
        "计算可核对的指标并与填报值并列显示（注明口径），专家评审后由省局作出考核结论（优秀、合格、不合格）。"
        + SIMULATED
        + "。",
        "form_fields": [
            {
                "name": "pilot_kind",
                "label": "试点示范类型",
                "type": "choice",
                "required": True,
                "choices": ["试点城市", "示范城市", "试点园区", "试点县（市、区）"],
            },
            {"name": "year", "label": "考核年度", "type": "integer", "required": True, "min": 2000, "max": 2100},
            _num("applications", "专利申请量（件，填报值）", computed="applications"),
            _num("grants", "专利授权量（件，填报值）", computed="grants"),
            _num(
                "invention_per_10k",
                "万人有效发明专利拥有量（件，填报值）",
                kind="decimal",
                hi=10000,
                computed="valid_invention_per_10k",
            ),
            _text("measures", "试点示范工作任务完成情况"),
        ]
        + CONTACT,
        "attachments": [{"code": "summary", "label": "试点示范工作总结", "required": True, "exts": [".pdf", ".docx"]}],
        "eligibility": [
            {"rule": "org_kinds", "kinds": ["city_bureau", "county_bureau"]},
            {"rule": "region", "prefix": "37"},
        ],
        "stages": [
            FORMAL,
            {"code": "review", "label": "专家考核", "actor": "expert"},
            {"code": "decision", "label": "考核结论", "actor": "office"},
        ],
        "review": _review(
            ("targets", "目标完成", 40), ("work", "工作任务落实", 35), ("features", "特色与示范作用", 25)
        ),
        "decision": {"kind": "recognition", "levels": ["优秀", "合格", "不合格"], "failing": ["不合格"]},
        "notice_days": 5,
    },
    {
        "code": OPERATION_PILOT,
        "name": "省专利运营试点单位",
        "description": "遴选专利运营基础好的企业、高校、科研院所和交易服务机构为省专利运营试点单位并给予补助：市局推荐，专家评审，"
        "公示后认定，试点期2年，期满验收，验收不合格的追回补助。" + SIMULATED + "。",
        "form_fields": [
            _num("deals", "近三年专利转让、许可（件）", hi=100000),
            _num("deal_value", "近三年专利运营收入（万元）", kind="decimal", hi=10000000),
            _text("plan", "专利运营试点工作方案"),
        ]
        + BANK,
        "attachments": [
            LICENCE,
            {"code": "plan", "label": "试点工作方案", "required": True, "exts": [".pdf", ".docx"]},
        ],
        "eligibility": [{"rule": "org_kinds", "kinds": ORGS + ["trading_center", "agency"]}, *BASE_RULES],
        "stages": [
            CITY_CHECK,
            FORMAL,
            REVIEW,
            NOTICE,
            {"code": "decision", "label": "认定与补助决定", "actor": "office"},
            PAYMENT,
        ],
        "review": _review(("base", "运营基础", 35), ("plan", "方案可行性", 35), ("team", "团队与机制", 30)),
        "decision": {
            "kind": "funding",
            "amount": "300000",
            "org_status": {"label": "山东省专利运营试点单位", "years": 2},
            "checks": {"kinds": ["acceptance"], "form_fields": CHECK_FIELDS},
        },
        "notice_days": 5,
    },
    {
        "code": RIGHTS_FUND,
        "name": "知识产权维权援助基金",
        "description": "对本省中小企业、高校和科研院所在专利侵权诉讼、海外纠纷中支出的维权费用给予援助：按实际支出核定，单件援助"
        "有上限，属地初审，省局审查后决定，集中兑付。" + SIMULATED + "。",
        "form_fields": [
            _text("case", "纠纷案情简介"),
            _text("counterparty", "对方当事人", long=False, limit=200),
            _text("case_no", "案号或受理文书编号", long=False, limit=60),
            _num("spent", "已支出维权费用（元）", kind="decimal", hi=100000000),
            _num("requested", "申请援助金额（元）", kind="decimal", hi=100000000),
        ]
        + BANK,
        "attachments": [
            {"code": "filing", "label": "立案或受理文书", "required": True, "exts": [".pdf", ".jpg", ".png"]},
            {"code": "invoices", "label": "费用票据", "required": True, "exts": [".pdf"]},
        ],
        "eligibility": [
            {"rule": "org_kinds", "kinds": ORGS},
            *BASE_RULES,
            {"rule": "size", "classes": ["medium", "small", "micro"], "or_sme": True},
        ],
        "stages": [
            {"code": "city_check", "label": "属地初审", "actor": "city"},
            FORMAL,
            {"code": "decision", "label": "援助决定", "actor": "office"},
            PAYMENT,
        ],
        "decision": {
            "kind": "funding",
            "amount_field": "requested",
            "not_above_field": "spent",
            "max_amount": "100000",
        },
        "notice_days": 5,
    },
    {
        "code": OPERATION_FUND,
        "name": "知识产权运营基金",
        "description": "对以专利为核心的产业化、转化运营项目给予基金支持：申报单位提出项目和支持金额，专家评审，公示后决定，"
        "集中拨付，项目期满验收，验收不合格的追回。" + SIMULATED + "。",
        "form_fields": [
            _text("project", "运营项目名称", long=False, limit=200),
            _text("patents", "项目涉及专利（申请号，逗号分隔）", long=False, limit=1000),
            _num("investment", "项目总投资（万元）", kind="decimal", hi=10000000),
            _num("requested", "申请基金支持（元）", kind="decimal", hi=100000000),
            _text("plan", "实施方案与预期效益"),
        ]
        + BANK,
        "attachments": [{"code": "plan", "label": "项目可行性报告", "required": True, "exts": [".pdf", ".docx"]}],
        "eligibility": [
            {"rule": "org_kinds", "kinds": ORGS},
            *BASE_RULES,
            {"rule": "patents_held", "min": 1, "granted": True},
        ],
        "stages": [
            CITY_CHECK,
            FORMAL,
            REVIEW,
            NOTICE,
            {"code": "decision", "label": "支持决定", "actor": "office"},
            PAYMENT,
        ],
        "review": _review(("tech", "专利技术水平", 30), ("market", "市场前景", 40), ("ability", "实施能力", 30)),
        "decision": {
            "kind": "funding",
            "amount_field": "requested",
            "max_amount": "2000000",
            "checks": {"kinds": ["acceptance"], "form_fields": CHECK_FIELDS},
        },
        "notice_days": 5,
    },
]
