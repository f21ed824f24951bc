"""Statutory rules of administrative enforcement (假冒专利 penalties, enforcement measures, complaints), as data with articles.

Time limits that run inside a case are `DeadlineRule` rows (defaults.py, editable); the rules here are the ones that
decide whether a step is lawful at all: the party's hearing, the fine's cap, the limitation period, the penalty
decision's mandatory content. `RULES` is shown to users on the rules page; `enforced` says whether the platform
checks the rule itself or only shows it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from ipplatform.lib.workdays import add_working_days
from ipplatform.patents.legalstate import Rule, add_years

_RULES = [
    Rule(
        "hearing_request",
        "听证申请期限（5个工作日）",
        "行政处罚法第六十四条第（一）项、第八十五条",
        "当事人要求听证的，应当在行政机关告知后5日内提出；期间按工作日计算，不含法定节假日（如2025-03-05告知的，可至2025-03-12提出）",
    ),
    Rule(
        "no_decision_before_heard",
        "听取陈述申辩前不得作出处罚决定",
        "行政处罚法第四十四条、第四十五条、第六十二条",
        "告知拟作出的处罚及陈述、申辩、听证权利后，在听证申请期限届满前，或当事人已要求听证而听证尚未举行的，不得作出行政处罚决定；"
        "当事人书面明确放弃陈述申辩和听证权利的除外",
    ),
    Rule(
        "hearing_notice",
        "听证通知（举行7个工作日前）",
        "行政处罚法第六十四条第（二）项、第八十五条",
        "行政机关应当在举行听证的7日前，通知当事人及有关人员听证的时间、地点",
    ),
    Rule(
        "hearing_presider",
        "听证主持人回避调查人员",
        "行政处罚法第六十四条第（四）项",
        "听证由行政机关指定的非本案调查人员主持",
    ),
    Rule(
        "hearing_record",
        "听证笔录",
        "行政处罚法第六十四条第（八）项、第六十五条",
        "听证应当制作笔录；听证结束后，行政机关应当根据听证笔录作出决定",
    ),
    Rule(
        "decision_content",
        "行政处罚决定书应载明事项",
        "行政处罚法第五十九条",
        "当事人姓名或名称、地址；违法事实和证据；处罚种类和依据；履行方式和期限；申请行政复议、提起行政诉讼的途径和期限；"
        "作出决定的机关名称和日期，并加盖印章",
        enforced="document",
    ),
    Rule(
        "review_period",
        "申请行政复议期限（60日）",
        "行政复议法（2023年修订）第二十条",
        "公民、法人或者其他组织认为行政行为侵犯其合法权益的，可以自知道或者应当知道该行政行为之日起60日内提出行政复议申请",
        enforced="document",
    ),
    Rule(
        "litigation_period",
        "提起行政诉讼期限（6个月）",
        "行政诉讼法第四十六条",
        "直接向人民法院提起诉讼的，应当自知道或者应当知道作出行政行为之日起6个月内提出",
        enforced="document",
    ),
    Rule(
        "payment_period",
        "缴纳罚款期限（15日）",
        "行政处罚法第六十七条第三款",
        "当事人应当自收到行政处罚决定书之日起15日内，到指定的银行或者通过电子支付系统缴纳罚款",
        enforced="document",
    ),
    Rule(
        "service_period",
        "送达处罚决定书（7个工作日）",
        "行政处罚法第六十一条、第八十五条",
        "当事人不在场的，行政机关应当在7日内依照民事诉讼法的有关规定送达行政处罚决定书",
    ),
    Rule(
        "publication",
        "处罚信息公示（20个工作日）",
        "市场监督管理行政处罚信息公示规定第九条；专利法第六十八条（予以公告）",
        "行政处罚信息应当自作出行政处罚决定之日起20个工作日内公示",
    ),
    Rule(
        "limitation",
        "处罚时效（2年）",
        "行政处罚法第三十六条",
        "违法行为在2年内未被发现的，不再给予行政处罚；期限从违法行为发生之日起计算，违法行为有连续或者继续状态的，从行为终了之日起计算",
    ),
    Rule(
        "fine_cap",
        "假冒专利罚款上限",
        "专利法第六十八条",
        "没收违法所得，可以处违法所得5倍以下的罚款；没有违法所得或者违法所得在5万元以下的，可以处25万元以下的罚款",
    ),
    Rule(
        "police_declined",
        "公安不予立案后依法处罚",
        "行政执法机关移送涉嫌犯罪案件的规定第十条；行政处罚法第二十七条",
        "公安机关决定不予立案的，行政执法机关应当依法作出处理，对应当给予行政处罚的依法给予行政处罚",
    ),
    Rule(
        "head_approval",
        "负责人审批移送和延长期限",
        "行政执法机关移送涉嫌犯罪案件的规定第五条；专利行政执法办法第二十一条",
        "移送由行政执法机关正职负责人或者主持工作的负责人审批；办案期限的延长由负责人批准",
    ),
    Rule(
        "surcharge",
        "加处罚款（每日3%）",
        "行政处罚法第七十二条第一款第（一）项",
        "到期不缴纳罚款的，每日按罚款数额的3%加处罚款，加处罚款的数额不得超出罚款的数额（案件页按缴款期限逐日计算）",
    ),
    Rule(
        "demand_notice",
        "申请法院强制执行前催告（10个工作日）",
        "行政强制法第五十四条、第六十九条",
        "行政机关申请人民法院强制执行前，应当催告当事人履行义务；催告书送达10日后当事人仍未履行义务的，可以申请；"
        "本法中10日以内期限的规定是指工作日，不含法定节假日",
    ),
    Rule(
        "court_window",
        "申请法院强制执行期间（3个月）",
        "行政强制法第五十三条；行政复议法（2023年修订）第二十条；行政诉讼法第四十六条",
        "当事人在法定期限内不申请行政复议或者提起行政诉讼，又不履行行政决定的，没有行政强制执行权的行政机关可以自期限届满之日起"
        "3个月内申请人民法院强制执行（复议60日、诉讼6个月，自收到决定书之日起算）",
    ),
    Rule(
        "seizure_period",
        "查封扣押期限（30日，延长不超过30日）",
        "行政强制法第二十五条",
        "查封、扣押的期限不得超过30日；情况复杂的，经行政机关负责人批准，可以延长，但延长期限不得超过30日（只延长一次；案件页登记查封扣押后计算期限）",
    ),
    Rule(
        "preservation_decision",
        "先行登记保存的处理（7个工作日）",
        "行政处罚法第五十六条、第八十五条",
        "证据可能灭失或者以后难以取得的，经行政机关负责人批准，可以先行登记保存，并应当在7日内及时作出处理决定；“七日”指工作日",
    ),
    Rule(
        "goods_handover",
        "涉案物品移交公安（3日）",
        "行政执法机关移送涉嫌犯罪案件的规定第十二条",
        "公安机关立案后，行政执法机关应当自接到立案通知书之日起3日内将涉案物品以及与案件有关的其他材料移交公安机关",
    ),
    Rule(
        "complaint_acceptance",
        "投诉受理决定（7个工作日）",
        "市场监督管理投诉举报处理暂行办法第十四条",
        "市场监督管理部门应当自收到投诉之日起7个工作日内作出受理或者不予受理的决定，并告知投诉人（登记列表和登记页显示期限及逾期提示）",
    ),
    Rule(
        "reporter_notice",
        "告知举报人立案结果（5个工作日）",
        "市场监督管理投诉举报处理暂行办法第三十一条",
        "举报人实名举报的，有处理权限的市场监督管理部门应当自作出是否立案决定之日起5个工作日内告知举报人（由实名举报立案的案件计算期限）",
    ),
    Rule(
        "panel",
        "侵权纠纷合议（3人以上单数）",
        "专利行政执法办法第十三条",
        "处理专利侵权纠纷应当由3名或者3名以上单数执法人员组成合议组（作出处理决定时须登记合议组成员）",
    ),
    Rule(
        "ecommerce_wait",
        "电商平台等待期（声明到达后15日）",
        "电子商务法第四十三条",
        "平台在转送声明到达知识产权权利人后15日内，未收到权利人已经投诉或者起诉通知的，应当及时终止所采取的措施；"
        "转送时应告知权利人可以向有关主管部门投诉或者向人民法院起诉",
    ),
    Rule(
        "ecommerce_publish",
        "电商平台公示通知、声明和处理结果",
        "电子商务法第四十四条",
        "电子商务平台经营者应当及时公示收到的通知、声明及处理结果（案件页登记平台的公示）",
    ),
]
RULES: dict[str, Rule] = {r.code: r for r in _RULES}

LIMITATION_YEARS = 2
FINE_GAINS_MULTIPLE = 5
FINE_GAINS_THRESHOLD = Decimal("50000")
FINE_FLAT_CAP = Decimal("250000")
HEARING_NOTICE_WORKING_DAYS = 7
PAYMENT_DAYS = 15  # 行政处罚法 art 67(3): calendar days from receipt of the decision
SURCHARGE_RATE = Decimal("0.03")  # per day, capped at the fine (art 72)
DEMAND_WORKING_DAYS = 10  # 行政强制法 arts 54, 69
REVIEW_DAYS = 60  # 行政复议法 art 20
LITIGATION_MONTHS = 6  # 行政诉讼法 art 46
COURT_WINDOW_MONTHS = 3  # 行政强制法 art 53
PANEL_MIN = 3
COMPLAINT_DECISION_WORKING_DAYS = 7  # 投诉举报处理暂行办法 art 14


def rules_table() -> list[dict]:
    """Rows of the rules page."""
    return [{"label": r.label, "article": r.article, "text": r.text, "enforced": r.enforced} for r in _RULES]


def cite(code: str) -> str:
    """'（article）' for a rule, to end a user message."""
    return f"（{RULES[code].article}）"


# ---------------------------------------------------------------- the party's hearing


def hearing_request_period_end(*, case) -> dt.date | None:
    """Last day to request a hearing: the open or met CF_HEARING_REQ time limit of the case."""
    d = case.deadlines.filter(rule__code="CF_HEARING_REQ").order_by("-anchor", "-pk").first()
    return d.due if d is not None else None


def hearing_bar(*, case, on: dt.date | None = None) -> str:
    """Why a penalty may not be decided on `on` ('' when it may)."""
    from .enums import CaseState as S

    on = on or timezone.localdate()
    if case.waiver_on and case.waiver_on <= on:
        return ""
    if case.state == S.HEARING:
        if not case.hearing_held_on:
            return "当事人已要求听证，听证举行并制作笔录前不得作出处罚决定" + cite("no_decision_before_heard")
        return ""
    if case.state == S.PRE_DECISION:
        end = hearing_request_period_end(case=case)
        if end is not None and on <= end:
            return f"当事人陈述申辩和申请听证的期限至{end}届满，届满前（或当事人书面放弃前）不得作出处罚决定" + cite(
                "no_decision_before_heard"
            )
    return ""


def earliest_hearing(*, notice_on: dt.date) -> dt.date:
    """The earliest hearing day for a notice given on `notice_on` (7 working days before the hearing)."""
    return add_working_days(notice_on, HEARING_NOTICE_WORKING_DAYS)


# ---------------------------------------------------------------- penalty limits


def fine_cap(*, illegal_gains: Decimal | None) -> Decimal:
    """Largest fine for 假冒专利 (专利法 art 68): 5 × gains above 50,000 yuan, else 250,000 yuan."""
    gains = Decimal(illegal_gains or 0)
    if gains > FINE_GAINS_THRESHOLD:
        return gains * FINE_GAINS_MULTIPLE
    return FINE_FLAT_CAP


def limitation_bar(*, violation_ended_on: dt.date | None, discovered_on: dt.date) -> str:
    """Why no penalty may be imposed because the act was not discovered within 2 years ('' when in time)."""
    if violation_ended_on is None:
        return ""
    last = add_years(violation_ended_on, LIMITATION_YEARS)
    if discovered_on > last:
        return f"违法行为于{violation_ended_on}发生（或终了），至{discovered_on}发现已超过2年，不再给予行政处罚" + cite(
            "limitation"
        )
    return ""


# ---------------------------------------------------------------- payment of the fine and enforcement


def payment_due(*, served_on: dt.date) -> dt.date:
    """Last day to pay: 15 days from receipt of the decision, a last day on a rest day moving to the next working day."""
    from .deadlines import due_date

    return due_date(served_on, PAYMENT_DAYS, "cd")


def late_surcharge(*, fine: Decimal, due: dt.date, on: dt.date) -> tuple[int, Decimal]:
    """(days late, surcharge) on `on`: 3 % of the fine per day after `due`, never more than the fine."""
    days = max(0, (on - due).days)
    amount = (Decimal(fine) * SURCHARGE_RATE * days).quantize(Decimal("0.01"))
    return days, min(amount, Decimal(fine).quantize(Decimal("0.01")))


def enforcement_dates(*, served_on: dt.date, demand_served_on: dt.date | None = None) -> dict:
    """The dates of enforcement through the court for a decision served on `served_on` (行政强制法 arts 53, 54)."""
    from .deadlines import due_date

    review_end = due_date(served_on, REVIEW_DAYS, "cd")
    litigation_end = due_date(served_on, LITIGATION_MONTHS, "month")
    remedies_end = max(review_end, litigation_end)
    out = {
        "payment_due": payment_due(served_on=served_on),
        "review_end": review_end,
        "litigation_end": litigation_end,
        "window_from": remedies_end + dt.timedelta(days=1),
        "window_end": due_date(remedies_end, COURT_WINDOW_MONTHS, "month"),
        "demand_end": None,
    }
    if demand_served_on:
        out["demand_end"] = add_working_days(demand_served_on, DEMAND_WORKING_DAYS)
    return out


def court_application_bar(*, served_on: dt.date | None, demand_served_on: dt.date | None, on: dt.date) -> str:
    """Why the office may not apply to the court for enforcement on `on` ('' when it may)."""
    if served_on is None:
        return "决定书尚未送达，不能申请强制执行"
    d = enforcement_dates(served_on=served_on, demand_served_on=demand_served_on)
    if on < d["window_from"]:
        return (
            f"申请行政复议（至{d['review_end']}）或提起行政诉讼（至{d['litigation_end']}）的期限尚未届满，"
            f"{d['window_from']}起方可申请人民法院强制执行" + cite("court_window")
        )
    if on > d["window_end"]:
        return f"申请人民法院强制执行的3个月期间已于{d['window_end']}届满" + cite("court_window")
    if demand_served_on is None:
        return "申请人民法院强制执行前应当催告当事人履行义务：请先登记催告书送达日期" + cite("demand_notice")
    if on <= d["demand_end"]:
        return f"催告书于{demand_served_on}送达，10个工作日至{d['demand_end']}届满后当事人仍未履行的方可申请" + cite(
            "demand_notice"
        )
    return ""


def panel_bar(*, members: int) -> str:
    """Why an infringement dispute may not be decided by a panel of `members` ('' when it may)."""
    if members < PANEL_MIN or members % 2 == 0:
        return f"合议组须由3名或3名以上单数执法人员组成，当前登记{members}名" + cite("panel")
    return ""


# ---------------------------------------------------------------- complaints and reports (12330)


def complaint_decision(*, intake, on: dt.date) -> dict | None:
    """A pending complaint's decision due date (7 working days from receipt) and whether it is overdue on `on`."""
    from django.utils import timezone

    from .enums import IntakeKind, IntakeState

    if intake.kind != IntakeKind.COMPLAINT or intake.state not in (IntakeState.RECEIVED, IntakeState.ROUTED):
        return None
    due = add_working_days(timezone.localtime(intake.created_at).date(), COMPLAINT_DECISION_WORKING_DAYS)
    return {"due": due, "overdue": on > due, "article": RULES["complaint_acceptance"].article}


# What pages, party data and generated documents show instead of a reporter's name (举报人身份依法保密).
CONFIDENTIAL_LABEL = "举报人（身份依法保密）"


def named_reporter(case) -> bool:
    """True when the case comes from a report whose reporter gave a name (实名举报)."""
    from .enums import IntakeKind

    intake = case.intake
    name = (case.requester_name or "").strip()
    return bool(intake and intake.kind == IntakeKind.REPORT and name and "匿名" not in name)
