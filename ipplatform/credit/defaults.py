"""Default credit rules and the serious-dishonesty list's legal basis (seeded once; data afterwards)."""

from decimal import Decimal as D

BASE_SCORE = D("90")  # every enterprise starts here; additions can reach 100, deductions go down to 0
MAX_SCORE = D("100")

RULES = [
    # code, event kind, name, points per event, cap (absolute, or None), years an event counts, legal basis
    (
        "infringement",
        "infringement",
        "行政裁决认定侵犯专利权",
        D("-15"),
        D("45"),
        3,
        "《中华人民共和国专利法》第六十五条：管理专利工作的部门处理专利侵权纠纷，认定侵权行为成立的，可以责令侵权人立即停止侵权行为",
    ),
    (
        "counterfeit",
        "counterfeit",
        "假冒专利受到行政处罚",
        D("-20"),
        D("40"),
        3,
        "《中华人民共和国专利法》第六十八条：假冒专利的，由负责专利执法的部门责令改正并予公告，没收违法所得，可以处罚款",
    ),
    (
        "abnormal",
        "abnormal",
        "非正常专利申请",
        D("-10"),
        D("30"),
        3,
        "《关于规范申请专利行为的规定》（国家知识产权局令第77号）",
    ),
    (
        "subsidy_fraud",
        "subsidy_fraud",
        "骗取、套取知识产权资助奖励资金",
        D("-30"),
        D("60"),
        3,
        "国家知识产权局《知识产权信用管理规定》所列失信行为：以欺骗等不正当手段骗取、套取资助奖励资金",
    ),
    (
        "false_statement",
        "false_statement",
        "提交虚假材料或作出虚假承诺",
        D("-10"),
        D("30"),
        3,
        "国家知识产权局《知识产权信用管理规定》所列失信行为：提交虚假材料、作出虚假承诺",
    ),
    (
        "certification",
        "certification",
        "通过知识产权管理体系认证",
        D("5"),
        D("5"),
        3,
        "《企业知识产权合规管理体系 要求》（GB/T 29490-2023）认证证书在有效期内",
    ),
    ("compliance", "compliance", "信用承诺履行与合规", D("3"), D("5"), 3, "签署信用承诺并按期履行（经核实）"),
]

LIST_BASIS = (
    "《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）及国家知识产权局《知识产权信用管理规定》："
    "列入满三年移出；列入满一年且已履行义务、未再发生失信行为的，可以申请提前移出（信用修复）。条文以正式文本为准，可在后台修改"
)
LIST_YEARS = 3
REPAIR_AFTER_YEARS = 1
