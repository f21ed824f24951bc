"""The default questionnaire (企业知识产权状况调查), loaded as version 1 of code 'ent_ip'; later versions are data."""

from ipplatform.experts.industries import SECTIONS

from .enums import SIZE_CHOICES

CODE = "ent_ip"
TITLE = "山东省企业知识产权状况调查问卷"
DESCRIPTION = (
    "本问卷用于了解全省企业知识产权创造、运用、保护和管理状况，数据仅用于统计分析。"
    "数据期为上一年度（1月1日至12月31日），金额单位为万元。企业规模按国家统计局《统计上大中小微型企业划分办法》自行判定。"
)

SPEC = [
    (
        "基本情况",
        [
            dict(
                code="industry",
                text="所属行业（国民经济行业门类）",
                qtype="choice",
                choices=[f"{c} {n}" for c, n in SECTIONS],
            ),
            dict(code="size", text="企业规模", qtype="choice", choices=SIZE_CHOICES),
            dict(code="employees", text="从业人员数", qtype="integer", unit="人", min_value=0, max_value=1000000),
            dict(
                code="rd_staff",
                text="研发人员数",
                qtype="integer",
                unit="人",
                min_value=0,
                max_value=1000000,
                not_above="employees",
            ),
            dict(code="revenue", text="营业收入", qtype="decimal", unit="万元", min_value=0, max_value=100000000),
            dict(code="rd_spend", text="研发经费支出", qtype="decimal", unit="万元", min_value=0, max_value=10000000),
        ],
    ),
    (
        "知识产权创造",
        [
            dict(code="inv_apps", text="当年发明专利申请量", qtype="integer", unit="件", min_value=0, max_value=100000),
            dict(
                code="inv_grants", text="当年发明专利授权量", qtype="integer", unit="件", min_value=0, max_value=100000
            ),
            dict(
                code="valid_inv",
                text="年末有效发明专利拥有量",
                qtype="integer",
                unit="件",
                min_value=0,
                max_value=1000000,
            ),
            dict(
                code="pct_apps", text="当年PCT国际专利申请量", qtype="integer", unit="件", min_value=0, max_value=100000
            ),
            dict(
                code="trademarks", text="年末有效注册商标量", qtype="integer", unit="件", min_value=0, max_value=1000000
            ),
        ],
    ),
    (
        "管理与运用",
        [
            dict(code="ip_dept", text="是否设立知识产权管理机构", qtype="yesno"),
            dict(code="gbt29490", text="是否通过企业知识产权合规管理体系（GB/T 29490）认证", qtype="yesno"),
            dict(
                code="ip_staff",
                text="专职知识产权工作人员数",
                qtype="integer",
                unit="人",
                min_value=0,
                max_value=10000,
                not_above="employees",
            ),
            dict(
                code="licence_income",
                text="当年专利转让、许可收入",
                qtype="decimal",
                unit="万元",
                min_value=0,
                max_value=10000000,
            ),
            dict(code="pledged", text="当年是否办理专利权质押融资", qtype="yesno"),
        ],
    ),
    (
        "保护与需求",
        [
            dict(code="infringed", text="当年是否遭遇知识产权侵权", qtype="yesno"),
            dict(
                code="measures",
                text="遭遇侵权时采取的措施",
                qtype="multi",
                required=False,
                choices=["行政投诉", "司法诉讼", "调解或仲裁", "自行协商", "未采取措施"],
            ),
            dict(
                code="needs",
                text="最需要的知识产权公共服务",
                qtype="multi",
                choices=["专利导航", "质押融资", "维权援助", "人才培训", "海外布局指导", "信息检索"],
            ),
            dict(code="comments", text="意见和建议", qtype="text", required=False, max_length=500),
        ],
    ),
]
