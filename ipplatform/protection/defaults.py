"""Default deadline rules and document templates (seeded by a data migration; editable in the admin), and the
{占位符} templates may use (imports nothing from the app, so models and documents can both rely on it)."""

from __future__ import annotations

import re

# code, case_type, name, kind, amount, unit, opens_on, closes_on, max_extension, legal_basis
DEADLINE_RULES = [
    (
        "INF_ACCEPT",
        "infringement",
        "受理审查（决定受理或不予受理）",
        "deadline",
        5,
        "wd",
        "create,resubmit",
        "accept,refuse,request_correction,withdraw",
        0,
        "《专利行政执法办法》第十四条：管理专利工作的部门应当自收到请求书之日起5个工作日内立案或者不予立案；请求书需要补正的，自收到补正材料之日起重新计算。",
    ),
    (
        "INF_SERVE",
        "infringement",
        "送达请求书副本",
        "deadline",
        5,
        "wd",
        "accept",
        "serve_respondent,withdraw",
        0,
        "《专利行政执法办法》第十五条：立案之日起5个工作日内将请求书及其附件副本送达被请求人。",
    ),
    (
        "INF_DEFENCE",
        "infringement",
        "被请求人答辩期",
        "deadline",
        15,
        "cd",
        "serve_respondent",
        "begin_investigation,withdraw",
        0,
        "《专利行政执法办法》第十五条：被请求人应当在收到之日起15日内提交答辩书。",
    ),
    (
        "INF_HEARING_NOTICE",
        "infringement",
        "口头审理提前通知",
        "min_notice",
        3,
        "wd",
        "",
        "",
        0,
        "《专利行政执法办法》第十七条：决定进行口头审理的，应当至少在口头审理3个工作日前将口头审理的时间、地点通知当事人。",
    ),
    (
        "INF_CLOSE",
        "infringement",
        "结案期限（自立案之日起）",
        "deadline",
        3,
        "month",
        "accept",
        "decide,mediate,withdraw,refuse",
        1,
        "《专利行政执法办法》第二十一条：处理专利侵权纠纷，应当自立案之日起3个月内结案；案情特别复杂需要延长的，由负责人批准，延长期限最多不超过1个月。",
    ),
    (
        "INF_SUE",
        "infringement",
        "不服决定的起诉期",
        "deadline",
        15,
        "cd",
        "serve_decision",
        "become_final,sued",
        0,
        "《专利法》第六十五条：当事人不服的，可以自收到处理通知之日起15日内依照《行政诉讼法》向人民法院起诉。",
    ),
    (
        "CF_FILE",
        "counterfeit",
        "立案审查（决定立案或不予立案）",
        "deadline",
        15,
        "wd",
        "create",
        "file_case,decline_filing",
        15,
        "《市场监督管理行政处罚程序规定》第二十条：自发现线索或者收到材料之日起15个工作日内予以核查并决定是否立案；特殊情况经负责人批准可以延长15个工作日。",
    ),
    (
        "CF_DECIDE",
        "counterfeit",
        "作出处理决定（自立案之日起）",
        "deadline",
        90,
        "cd",
        "file_case",
        "decide_penalty,decide_no_penalty,decide_transfer",
        30,
        "《市场监督管理行政处罚程序规定》第六十四条：自立案之日起90日内作出处理决定；因案情复杂不能按期作出的，经负责人批准可以延长30日。",
    ),
    (
        "CF_HEARING_REQ",
        "counterfeit",
        "当事人陈述申辩、要求听证期限",
        "deadline",
        5,
        "wd",
        "notify_pre_decision",
        "request_hearing,decide_penalty,decide_no_penalty,decide_transfer",
        0,
        "《行政处罚法》第六十四条第（一）项：当事人要求听证的，应当在行政机关告知后5日内提出；第八十五条：本法中“五日”的规定是指工作日，不含法定节假日。"
        "期限届满前（或当事人书面放弃前）不得作出处罚决定（第四十四条、第四十五条、第六十二条）。",
    ),
    (
        "CF_SERVE",
        "counterfeit",
        "送达处罚决定书",
        "deadline",
        7,
        "wd",
        "decide_penalty,decide_no_penalty",
        "serve_decision",
        0,
        "《行政处罚法》第六十一条：当事人不在场的，行政机关应当在7日内依照《民事诉讼法》的有关规定将行政处罚决定书送达当事人；第八十五条：“七日”指工作日。",
    ),
    (
        "CF_PUBLISH",
        "counterfeit",
        "公示行政处罚信息",
        "deadline",
        20,
        "wd",
        "decide_penalty",
        "publish_penalty",
        0,
        "《市场监督管理行政处罚信息公示规定》第九条：自作出行政处罚决定之日起20个工作日内公示；《专利法》第六十八条：假冒专利的，予以公告。",
    ),
    (
        "CF_SEIZURE",
        "counterfeit",
        "查封、扣押期限",
        "deadline",
        30,
        "cd",
        "seize",
        "release_seizure",
        30,
        "《行政强制法》第二十五条：查封、扣押的期限不得超过30日；情况复杂的，经行政机关负责人批准，可以延长，但是延长期限不得超过30日（只可延长一次）。"
        "期限届满应当解除查封、扣押（第二十八条）。",
    ),
    (
        "CF_PRESERVE",
        "counterfeit",
        "先行登记保存物品的处理决定",
        "deadline",
        7,
        "wd",
        "preserve",
        "decide_preserved",
        0,
        "《行政处罚法》第五十六条：先行登记保存的，应当在7日内及时作出处理决定；第八十五条：“七日”指工作日，不含法定节假日。",
    ),
    (
        "CF_REPORTER",
        "counterfeit",
        "告知实名举报人立案结果",
        "deadline",
        5,
        "wd",
        "file_case",
        "tell_reporter",
        0,
        "《市场监督管理投诉举报处理暂行办法》第三十一条：举报人实名举报的，有处理权限的市场监督管理部门还应当自作出是否立案决定之日起5个工作日内告知举报人。",
    ),
    (
        "PT_GOODS",
        "police_transfer",
        "向公安机关移交涉案物品",
        "deadline",
        3,
        "cd",
        "police_accept",
        "hand_over_goods",
        0,
        "《行政执法机关移送涉嫌犯罪案件的规定》第十二条：对公安机关决定立案的案件，行政执法机关应当自接到立案通知书之日起3日内将涉案物品以及与案件有关的其他材料移交公安机关，并办结交接手续。",
    ),
    (
        "EC_FORWARD",
        "ecommerce",
        "转送被投诉人",
        "deadline",
        3,
        "wd",
        "create",
        "forward_to_seller,maintain_measures",
        0,
        "《电子商务法》第四十二条；《山东省电子商务领域专利侵权纠纷快速处理规程》：平台应及时采取必要措施并在3个工作日内将通知转送平台内经营者。",
    ),
    (
        "EC_DETERMINE",
        "ecommerce",
        "答复平台侵权判定请求",
        "deadline",
        2,
        "wd",
        "request_determination",
        "answer_determination",
        0,
        "《山东省电子商务领域专利侵权纠纷快速处理规程》：对电商平台提出的侵权判定请求，应在2个工作日内出具判定意见。",
    ),
    (
        "EC_WAIT",
        "ecommerce",
        "声明到达权利人后等待投诉或起诉",
        "deadline",
        15,
        "cd",
        "forward_counter",
        "lift_measures,maintain_measures",
        0,
        "《电子商务法》第四十三条：平台在转送声明到达知识产权权利人后15日内，未收到权利人已经投诉或者起诉通知的，应当及时终止所采取的措施。",
    ),
    (
        "PT_CHIEF",
        "police_transfer",
        "负责人审批移送",
        "deadline",
        3,
        "cd",
        "submit_transfer_report",
        "approve_transfer,reject_transfer",
        0,
        "《行政执法机关移送涉嫌犯罪案件的规定》第五条：行政执法机关正职负责人或者主持工作的负责人应当自接到报告之日起3日内作出批准移送或者不批准移送的决定。",
    ),
    (
        "PT_TRANSFER",
        "police_transfer",
        "批准后移送公安机关",
        "deadline",
        24,
        "hour",
        "approve_transfer",
        "transfer_to_police",
        0,
        "《行政执法机关移送涉嫌犯罪案件的规定》第五条：决定批准的，应当在24小时内向同级公安机关移送。",
    ),
    (
        "PT_POLICE",
        "police_transfer",
        "公安机关审查决定是否立案",
        "deadline",
        3,
        "cd",
        "transfer_to_police",
        "police_accept,police_decline",
        0,
        "《行政执法机关移送涉嫌犯罪案件的规定》第八条：公安机关应当自接受移送之日起3日内依法审查，决定是否立案并书面通知移送机关。",
    ),
    (
        "PT_RECONSIDER_REQ",
        "police_transfer",
        "提请复议期限",
        "deadline",
        3,
        "cd",
        "police_decline",
        "request_reconsideration,close",
        0,
        "《行政执法机关移送涉嫌犯罪案件的规定》第九条：行政执法机关接到不予立案通知书后，认为依法应当立案的，可以自接到之日起3日内提请复议。",
    ),
    (
        "PT_RECONSIDER",
        "police_transfer",
        "公安机关作出复议决定",
        "deadline",
        3,
        "cd",
        "request_reconsideration",
        "police_accept,reconsideration_upheld",
        0,
        "《行政执法机关移送涉嫌犯罪案件的规定》第九条：公安机关应当自收到提请复议的文件之日起3日内作出复议决定。",
    ),
]

# periods that run for the parties (答辩期、起诉期…): when over, the office takes the next step; not office delays
# extendable once only (行政强制法 art 25: 可以延长，但是延长期限不得超过30日)
EXTEND_ONCE = {"CF_SEIZURE"}
# opened only for cases from a named report (实名举报)
NAMED_REPORT_ONLY = {"CF_REPORTER"}

PARTY_PERIODS = {"INF_DEFENCE", "INF_SUE", "CF_HEARING_REQ", "EC_WAIT", "PT_RECONSIDER_REQ"}

# code, name, case_types (comma separated, empty = all), body with {占位符}
DOCUMENT_TEMPLATES = [
    (
        "acceptance_notice",
        "受理通知书",
        "infringement",
        "{请求人}：\n你方于{收到日期}提出的与{被请求人}之间的专利侵权纠纷处理请求（专利号：{专利号}），经审查，符合《专利行政执法办法》规定的受理条件，本局决定予以受理，案号为{案号}。\n"
        "本局将在5个工作日内将请求书及其附件副本送达被请求人。请你方按时参加本局组织的口头审理等程序。\n承办人：{承办人}\n联系电话：12330",
    ),
    (
        "defence_notice",
        "答辩通知书",
        "infringement",
        "{被请求人}：\n{请求人}就专利号为{专利号}的专利侵权纠纷向本局提出处理请求，本局已于{受理日期}立案（案号{案号}）。现将请求书及其附件副本送达你方，"
        "请你方自收到本通知书之日起15日内向本局提交答辩书及有关证据材料（一式两份）。逾期不提交答辩书的，不影响本局进行处理。\n承办人：{承办人}",
    ),
    (
        "hearing_notice",
        "口头审理通知书",
        "infringement",
        "{请求人}、{被请求人}：\n本局决定于{口审日期}对{案号}专利侵权纠纷案进行口头审理，地点：{承办单位}执法办案区。请双方当事人按时参加；"
        "请求人无正当理由拒不参加的，按撤回请求处理；被请求人无正当理由拒不参加的，可以缺席审理。\n承办人：{承办人}",
    ),
    (
        "decision",
        "处理决定书",
        "infringement",
        "案号：{案号}\n当事人：{请求人}；{被请求人}\n专利号：{专利号}\n\n案件情况：{案情摘要}\n\n本局查明的事实与理由见卷宗。依据《专利法》及《专利行政执法办法》，本局决定如下：{处理结果}。\n{结果说明}\n\n"
        "当事人不服本决定的，可以自收到本决定书之日起15日内依照《行政诉讼法》向人民法院起诉。\n{承办单位}\n{今天}",
    ),
    (
        "penalty_decision",
        "行政处罚决定书",
        "counterfeit",
        "{承办单位}\n行政处罚决定书\n{案号}\n\n当事人：{被请求人}\n住所（地址）：{被请求人住所}\n\n"
        "违法事实和证据：{案情摘要}\n涉及专利号：{专利号}\n\n"
        "处罚种类和依据：当事人的上述行为构成假冒专利，依据《中华人民共和国专利法》第六十八条，本机关决定：{处理结果}，罚款人民币{罚款金额}元。{结果说明}\n"
        "陈述申辩和听证：{听证情况}\n\n"
        "履行方式和期限：当事人应当自收到本决定书之日起15日内，到指定的银行或者通过电子支付系统缴纳罚款（《行政处罚法》第六十七条）。"
        "到期不缴纳罚款的，每日按罚款数额的3%加处罚款（《行政处罚法》第七十二条）。\n\n"
        "救济途径和期限：当事人不服本决定的，可以自收到本决定书之日起60日内依法申请行政复议（《行政复议法》第二十条），"
        "或者自收到本决定书之日起6个月内依法直接向人民法院提起行政诉讼（《行政诉讼法》第四十六条）。"
        "申请行政复议或者提起行政诉讼期间，本决定不停止执行，法律另有规定的除外。\n\n"
        "本决定将依法在国家企业信用信息公示系统公示。\n\n{承办单位}（印章）\n{决定日期}",
    ),
    (
        "counter_notice_forward",
        "不侵权声明转送告知书",
        "ecommerce",
        "{请求人}：\n你方就{电商平台}平台内经营者{被请求人}涉嫌侵犯专利权（专利号：{专利号}）发出的通知，平台内经营者已提交不存在侵权行为的声明，现将声明转送你方（案号{案号}）。\n"
        "依照《中华人民共和国电子商务法》第四十三条，你方可以向有关主管部门投诉或者向人民法院起诉。电子商务平台经营者在声明到达你方后15日内，"
        "未收到你方已经投诉或者起诉通知的，应当及时终止所采取的措施。\n"
        "依照该法第四十四条，电子商务平台经营者应当及时公示收到的通知、声明及处理结果。\n{承办单位}\n{今天}",
    ),
    (
        "police_transfer_letter",
        "涉嫌犯罪案件移送书",
        "police_transfer,counterfeit",
        "{公安机关}：\n本局在查处{案号}一案中，发现当事人{被请求人}涉嫌犯罪，依据《行政执法机关移送涉嫌犯罪案件的规定》，现将该案移送你局，请依法审查。\n"
        "随附材料：涉嫌犯罪案件情况的调查报告、涉案物品清单、有关检验报告或者鉴定结论、其他有关涉嫌犯罪的材料。\n请自接受移送之日起3日内作出是否立案的决定并书面通知本局。\n{承办单位}\n{今天}",
    ),
]


# {占位符} a document template may use: name -> what it is replaced with (documents.context_for fills them).
PLACEHOLDERS = {
    "案号": "案号",
    "案由": "案由",
    "案件类型": "案件类型",
    "请求人": "请求人（举报案件显示为身份保密）",
    "被请求人": "被请求人/当事人",
    "被请求人住所": "被请求人住所",
    "专利号": "专利号",
    "收到日期": "收到日期",
    "受理日期": "受理/立案日期",
    "决定日期": "决定日期",
    "口审日期": "口头审理/听证时间",
    "处理结果": "处理结果",
    "结果说明": "结果说明",
    "罚款金额": "罚款金额（元）",
    "案情摘要": "案情摘要",
    "承办单位": "承办单位",
    "承办人": "承办人",
    "公安机关": "接收移送的公安机关",
    "今天": "生成日期",
    "听证情况": "陈述申辩、听证或书面放弃的情况",
    "电商平台": "电商平台",
}
PLACEHOLDER_PATTERN = re.compile(r"\{([^{}]+)\}")


def unknown_placeholders(body: str) -> list[str]:
    """Placeholders in a template body that documents cannot fill (models.DocumentTemplate.clean refuses them)."""
    return sorted({m for m in PLACEHOLDER_PATTERN.findall(body or "") if m not in PLACEHOLDERS})
