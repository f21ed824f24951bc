"""Default agency rating rules and grades (seeded once; edited as data in the admin afterwards)."""
from decimal import Decimal as D

RULES = [
    # code, name, metric, comparator, threshold, param, points, cap, incident_kind, basis
    ("grant_rate_low", "发明专利授权率低于40%", "grant_rate", "lt", D("40"), None, D("-10"), None, "",
     "代理质量：按申请满3年的发明专利计算授权率（已授权 ÷ 申请量），计算自平台专利著录项目"),
    ("grant_rate_high", "发明专利授权率不低于60%", "grant_rate", "gte", D("60"), None, D("5"), None, "",
     "代理质量：按申请满3年的发明专利计算授权率"),
    ("training", "继续教育学时未达标", "training_shortfall", "per", D("0"), D("40"), D("-0.2"), D("10"), "",
     "专利代理师继续教育：按每年应修40学时计（学时要求为参数，可在后台修改），每1%未达标人员扣0.2分，最多扣10分"),
    ("penalty", "受到行政处罚", "incidents", "per", D("0"), None, D("-20"), D("40"), "penalty",
     "依《专利代理条例》受到的行政处罚，近三年每件扣20分"),
    ("abnormal", "代理非正常专利申请", "incidents", "per", D("0"), None, D("-10"), D("30"), "abnormal",
     "《关于规范申请专利行为的规定》（国家知识产权局令第77号），近三年每件扣10分"),
    ("complaint", "投诉查实", "incidents", "per", D("0"), None, D("-5"), D("20"), "complaint", "服务投诉经查属实，近三年每件扣5分"),
    ("discipline", "行业自律惩戒", "incidents", "per", D("0"), None, D("-5"), D("15"), "discipline", "专利代理行业组织的自律惩戒，近三年每次扣5分"),
    ("honour", "表彰奖励", "incidents", "per", D("0"), None, D("2"), D("6"), "honour", "省级以上知识产权主管部门表彰，近三年每项加2分，最多6分"),
    ("no_agents", "无执业专利代理师", "agents", "lt", D("1"), None, D("-30"), None, "", "《专利代理条例》：专利代理机构应当有执业专利代理师"),
]

GRADES = [
    ("A+", D("95"), "信用优秀"),
    ("A", D("85"), "信用良好"),
    ("B", D("75"), "信用较好"),
    ("C", D("60"), "信用一般"),
    ("D", D("0"), "信用较差"),
]

KEY_UNIT_TERM_YEARS = 3
