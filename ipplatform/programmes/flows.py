"""Every step of an application's way through its programme's stages. Each step records a StateTransition (so
core.workflow.history shows it) and an audit event; callers pass `by` and, for date rules, `on`."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ipplatform.core import audit
from ipplatform.core.enums import AuditAction
from ipplatform.core.inputs import InputError
from ipplatform.core.models import StateTransition
from ipplatform.lib.workdays import add_working_days, is_workday

from . import eligibility, hooks, scoring, services
from .enums import Actor, AppStatus, BatchState, ObjectionState
from .models import Application, Call, Clawback, Objection, OrgStatus, PaymentBatch, PaymentLine, ReviewAssignment

CHECK_ACTIONS = {"pass": "通过", "return": "退回补正", "reject": "不予通过"}


def _where(app: Application) -> str:
    return f"{app.stage_label}（{app.get_status_display()}）" if app.stage else app.get_status_display()


def _step(app: Application, *, by, name: str, source: str, reason: str = "") -> None:
    """Record one step: from `source` to where the application is now."""
    target = _where(app)
    StateTransition.objects.create(
        content_type=ContentType.objects.get_for_model(Application),
        object_id=str(app.pk),
        field="stage",
        transition=name,
        source=source,
        target=target,
        actor_id=by.pk if by else None,
        actor_name=by.get_username() if by else "system",
        reason=reason,
        at=timezone.now(),
    )
    audit.record(
        AuditAction.TRANSITION,
        obj=app,
        actor=by,
        before={"stage": source},
        after={"stage": target},
        reason=f"{name}：{reason}".rstrip("："),
    )


def _release_claims(app: Application) -> None:
    app.items.update(live=False)


def _stage(app: Application) -> dict:
    found = app.call.programme.stage(app.stage)
    if found is None:
        raise InputError("申报不在办理环节中")
    return found


def _move_on(app: Application) -> None:
    """Advance to the next stage of the programme (the last stage keeps the application there)."""
    nxt = app.call.programme.next_stage(app.stage)
    if nxt is not None:
        app.stage = nxt["code"]


# ---------------------------------------------------------------- applicant steps


@transaction.atomic
def submit(*, application: Application, by, on: dt.date | None = None) -> Application:
    """Submit a draft (within the call's dates) or a corrected application (back to the stage that returned it)."""
    on = on or services.today()
    services.require_owner(by, application)
    app = Application.objects.select_for_update().get(pk=application.pk)
    if app.status not in (AppStatus.DRAFT, AppStatus.RETURNED):
        raise InputError(f"申报处于“{app.get_status_display()}”状态，不能提交")
    if app.status == AppStatus.DRAFT and not app.call.is_open(on):
        raise InputError(f"申报期为{app.call.opens_on}至{app.call.closes_on}，已不能提交")
    problems = services.missing(application=app)
    problems += eligibility.refusals(programme=app.call.programme, org=app.organization, on=on, application=app)
    if app.call.programme.claims_patents:
        problems += services.recheck_claims(application=app, on=on)
    problems += hooks.refusals(app)
    if problems:
        raise InputError("不能提交：" + "；".join(problems))
    source = _where(app)
    resubmitted = app.status == AppStatus.RETURNED
    app.stage = app.returned_from if resubmitted else app.call.programme.first_stage
    app.status, app.returned_from = AppStatus.ACTIVE, ""
    app.submitted_at = timezone.now()
    app.save()
    _step(app, by=by, name="补正后重新提交" if resubmitted else "提交申报", source=source)
    return app


@transaction.atomic
def withdraw(*, application: Application, by, reason: str = "") -> Application:
    """The applicant withdraws before a decision; its patent claims are released."""
    services.require_owner(by, application)
    app = Application.objects.select_for_update().get(pk=application.pk)
    if app.status not in (AppStatus.DRAFT, AppStatus.ACTIVE, AppStatus.RETURNED):
        raise InputError(f"申报处于“{app.get_status_display()}”状态，不能撤回")
    source = _where(app)
    app.status = AppStatus.WITHDRAWN
    app.save(update_fields=["status"])
    _release_claims(app)
    _step(app, by=by, name="撤回申报", source=source, reason=reason)
    return app


# ---------------------------------------------------------------- checks by the bureau and the office


@transaction.atomic
def check(*, application: Application, by, action: str, reason: str = "", on: dt.date | None = None) -> Application:
    """属地初审 / 形式审查: pass to the next stage, return for correction (补正) or refuse; the stage says who acts."""
    app = Application.objects.select_for_update().select_related("call__programme").get(pk=application.pk)
    if app.status != AppStatus.ACTIVE:
        raise InputError(f"申报处于“{app.get_status_display()}”状态，不在审查中")
    stage = _stage(app)
    if stage["actor"] not in (Actor.CITY, Actor.OFFICE) or stage.get("notice") or stage["code"] == "decision":
        raise InputError(f"“{stage['label']}”环节不是逐件审查环节")
    if not services.can_act(by, application=app, actor=stage["actor"]):
        raise PermissionDenied(f"“{stage['label']}”由{Actor(stage['actor']).label}办理")
    if action not in CHECK_ACTIONS:
        raise InputError("请选择审查结论", field="action")
    if action != "pass" and not reason.strip():
        raise InputError("退回或不予通过须写明理由", field="reason")
    if action == "pass" and app.call.programme.claims_patents:
        problems = services.recheck_claims(application=app, on=on)
        if problems:
            raise InputError("申报专利复核未通过，应退回补正或不予通过：" + "；".join(problems))
    if action == "pass":
        problems = hooks.refusals(app)
        if problems:
            raise InputError("不符合条件，应退回补正或不予通过：" + "；".join(problems))
    source = _where(app)
    if action == "pass":
        _move_on(app)
    elif action == "return":
        app.status, app.returned_from, app.return_reason = AppStatus.RETURNED, app.stage, reason.strip()
    else:
        app.status = AppStatus.REJECTED
        _release_claims(app)
    app.save()
    _step(app, by=by, name=f"{stage['label']}{CHECK_ACTIONS[action]}", source=source, reason=reason)
    return app


# ---------------------------------------------------------------- expert review


@transaction.atomic
def assign_experts(*, call: Call, by, on: dt.date | None = None) -> int:
    """Draw the programme's number of experts for every application in the review stage (conflicts excluded)."""
    services.require_office(by)
    cfg = call.programme.review
    count, n = int(cfg.get("experts", 5)), 0
    for app in call.applications.filter(status=AppStatus.ACTIVE, stage="review"):
        drawn = services.draw_experts(
            application=app, count=count - app.reviews.count(), use=cfg.get("expert_use", ""), on=on
        )
        for expert in drawn:
            ReviewAssignment.objects.create(application=app, expert=expert, blind=bool(cfg.get("blind")))
            n += 1
        if drawn:
            _step(app, by=by, name="抽取评审专家", source=_where(app), reason="、".join(e.name for e in drawn))
    return n


@transaction.atomic
def assign_expert(*, application: Application, expert, by, on: dt.date | None = None) -> ReviewAssignment:
    """The office names one expert for an application (a field the draw does not cover); conflicts still refuse."""
    from ipplatform.core.models import Organization
    from ipplatform.experts.services import conflicts_with

    services.require_office(by)
    app = Application.objects.select_related("call__programme", "organization").get(pk=application.pk)
    if app.status != AppStatus.ACTIVE or app.stage != "review":
        raise InputError("该申报不在专家评审环节")
    orgs = [
        app.organization,
        *Organization.objects.filter(pk__in=services.coapplicant_orgs(org=app.organization, on=on)),
    ]
    reasons = conflicts_with(expert=expert, orgs=orgs, on=on)
    if reasons:
        raise InputError("；".join(reasons) + "，应当回避")
    if app.reviews.filter(expert=expert).exists():
        raise InputError(f"专家{expert.name}已在评审该申报")
    review = ReviewAssignment.objects.create(
        application=app, expert=expert, blind=bool(app.call.programme.review.get("blind"))
    )
    _step(app, by=by, name="指定评审专家", source=_where(app), reason=expert.name)
    return review


@transaction.atomic
def submit_review(
    *, review: ReviewAssignment, by, scores: dict, comment: str = "", paper_sheet: bool = False
) -> ReviewAssignment:
    """An expert's scores for one application (criteria ranges checked; the weighted total computed). The office may
    enter an expert's signed paper score sheet (paper_sheet=True: 评审会纸质评分表代录), recorded as such."""
    if review.expert.user_id != by.pk and not (paper_sheet and services.is_office(by)):
        raise PermissionDenied("只能提交分配给本人的评审")
    app = Application.objects.select_related("call__programme").get(pk=review.application_id)
    if app.status != AppStatus.ACTIVE or app.stage != "review":
        raise InputError("该申报已不在专家评审环节")
    criteria = app.call.programme.review.get("criteria", [])
    review.total = scoring.weighted_total(criteria=criteria, scores=scores)
    review.scores = {c["code"]: str(scores[c["code"]]) for c in criteria}
    review.comment, review.submitted_at = comment.strip(), timezone.now()
    review.save()
    audit.record(
        AuditAction.UPDATE,
        obj=app,
        actor=by,
        after={"review": review.pk, "total": review.total},
        reason=f"代录专家{review.expert.name}的纸质评分表" if review.expert.user_id != by.pk else "专家提交评分",
    )
    return review


@transaction.atomic
def finish_review(*, call: Call, by) -> list[Application]:
    """Aggregate the scores (trimmed mean, dispersion flagged), rank the applications and move them on."""
    services.require_office(by)
    cfg = call.programme.review
    apps = list(call.applications.filter(status=AppStatus.ACTIVE, stage="review").select_for_update())
    if not apps:
        raise InputError("没有处于专家评审环节的申报")
    pending = [a for a in apps if not a.reviews.exists() or a.reviews.filter(submitted_at__isnull=True).exists()]
    if pending:
        raise InputError("以下申报的专家评分未全部提交：" + "、".join(str(a.pk) for a in pending))
    for app in apps:
        result = scoring.aggregate(
            totals=[r.total for r in app.reviews.all()],
            trim=int(cfg.get("trim", 1)),
            dispersion=cfg.get("dispersion", 15),
        )
        app.score, app.score_flagged = result.score, result.flagged
    apps.sort(key=lambda a: (-a.score, a.pk))
    for rank, app in enumerate(apps, 1):
        source = _where(app)
        app.rank = rank
        _move_on(app)
        app.save()
        _step(
            app,
            by=by,
            name="专家评审汇总",
            source=source,
            reason=f"得分{app.score}，排名第{rank}" + ("；专家评分分歧较大，已标记复议" if app.score_flagged else ""),
        )
    return apps


# ---------------------------------------------------------------- 公示 and objections


def notice_end(*, start: dt.date, days: int) -> dt.date:
    """The last day of a notice of `days` working days beginning on `start` (counted if it is a working day)."""
    return add_working_days(start - dt.timedelta(days=1), days)


@transaction.atomic
def publish_notice(*, call: Call, by, start: dt.date) -> Call:
    """Start the 公示 of the applications in the notice stage for the programme's number of working days."""
    services.require_office(by)
    apps = [
        a
        for a in call.applications.filter(status=AppStatus.ACTIVE)
        if (call.programme.stage(a.stage) or {}).get("notice")
    ]
    if not apps:
        raise InputError("没有待公示的申报")
    if not is_workday(start):
        raise InputError(f"{start}不是工作日，公示应自工作日开始", field="start")
    call.notice_start, call.notice_end, call.notice_closed = (
        start,
        notice_end(start=start, days=call.programme.notice_days),
        False,
    )
    call.save(update_fields=["notice_start", "notice_end", "notice_closed"])
    for app in apps:
        _step(app, by=by, name="发布公示", source=_where(app), reason=f"公示期{call.notice_start}至{call.notice_end}")
    return call


def in_notice(call: Call, on: dt.date) -> bool:
    return bool(call.notice_start and not call.notice_closed and call.notice_start <= on <= call.notice_end)


@transaction.atomic
def raise_objection(
    *, application: Application, name: str, contact: str, text: str, on: dt.date | None = None
) -> Objection:
    """Anyone may object to an application during its 公示 (name and contact required; no anonymous letters)."""
    on = on or services.today()
    application = Application.objects.select_related("call__programme").get(pk=application.pk)
    if (
        not in_notice(application.call, on)
        or not (application.call.programme.stage(application.stage) or {}).get("notice")
        or application.status != AppStatus.ACTIVE
    ):
        raise InputError("该项目不在公示期内，不能提出异议")
    if not name.strip() or not contact.strip() or len(text.strip()) < 10:
        raise InputError("请填写异议人姓名（单位）、联系方式和不少于10字的异议理由")
    obj = Objection.objects.create(
        application=application, name=name.strip()[:60], contact=contact.strip()[:60], text=text.strip()
    )
    audit.record(
        AuditAction.CREATE,
        obj=obj,
        actor=None,
        actor_name="public",
        after={"application": application.pk},
        reason="公示异议",
    )
    return obj


@transaction.atomic
def handle_objection(*, objection: Objection, by, upheld: bool, response: str) -> Objection:
    """The office decides an objection; an upheld one takes the application out (不予通过)."""
    services.require_office(by)
    if objection.state != ObjectionState.OPEN:
        raise InputError("该异议已处理")
    if not response.strip():
        raise InputError("请填写处理意见", field="response")
    objection.state = ObjectionState.UPHELD if upheld else ObjectionState.DISMISSED
    objection.response, objection.handled_by, objection.handled_at = response.strip(), by, timezone.now()
    objection.save()
    app = Application.objects.select_for_update().get(pk=objection.application_id)
    source = _where(app)
    if upheld and app.status == AppStatus.ACTIVE:
        app.status = AppStatus.REJECTED
        app.save(update_fields=["status"])
        _release_claims(app)
    _step(app, by=by, name="异议成立" if upheld else "异议不成立", source=source, reason=response)
    return objection


@transaction.atomic
def close_notice(*, call: Call, by, on: dt.date | None = None) -> int:
    """End the 公示 once its last working day has passed and every objection is decided; moves applications on."""
    on = on or services.today()
    services.require_office(by)
    if not call.notice_end or call.notice_closed:
        raise InputError("没有进行中的公示")
    if on <= call.notice_end:
        raise InputError(f"公示期至{call.notice_end}，期满后方可结束公示")
    if Objection.objects.filter(application__call=call, state=ObjectionState.OPEN).exists():
        raise InputError("尚有未处理的异议")
    call.notice_closed = True
    call.save(update_fields=["notice_closed"])
    n = 0
    for app in call.applications.filter(status=AppStatus.ACTIVE):
        if (call.programme.stage(app.stage) or {}).get("notice"):
            source = _where(app)
            _move_on(app)
            app.save(update_fields=["stage"])
            _step(
                app,
                by=by,
                name="公示期满",
                source=source,
                reason=f"公示期{call.notice_start}至{call.notice_end}，无成立的异议",
            )
            n += 1
    return n


# ---------------------------------------------------------------- decisions


def _grant_status(app: Application, on: dt.date) -> None:
    cfg = app.call.programme.decision.get("org_status")
    if cfg:
        until = on.replace(year=on.year + int(cfg.get("years", 3)))
        OrgStatus.objects.create(organization=app.organization, label=cfg["label"], valid_until=until, application=app)


@transaction.atomic
def decide_funding(
    *, application: Application, by, approve: bool, reason: str = "", on: dt.date | None = None
) -> Application:
    """资助决定: the amount claimed, cut to what the per-applicant cap leaves, never beyond the call's budget."""
    on = on or services.today()
    services.require_office(by)
    app = Application.objects.select_for_update().get(pk=application.pk)
    if app.status != AppStatus.ACTIVE or app.stage != "decision":
        raise InputError("该申报不在决定环节")
    Call.objects.select_for_update().get(pk=app.call_id)  # one decision at a time per call: the budget check holds
    source = _where(app)
    if not approve:
        if not reason.strip():
            raise InputError("不予资助须写明理由", field="reason")
        app.status, app.decision_note = AppStatus.REJECTED, reason.strip()
        app.save()
        _release_claims(app)
        _step(app, by=by, name="不予资助", source=source, reason=reason)
        return app
    amount, notes = app.requested, []
    computed = hooks.amount(app)  # a scheme whose amount rule lives in another app (hooks.py)
    if computed is not None:
        amount, computation = computed
        notes.append(computation)
    left = services.cap_left(application=app)
    if left is not None and amount > left:
        notes.append(f"按每单位年度上限{app.call.policy.cap_per_applicant}元核减为{left}元")
        amount = left
    if amount <= 0:
        raise InputError("核定金额为0（已达每单位年度资助上限），应作不予资助决定")
    available = app.call.budget - services.committed(app.call)
    if amount > available:
        raise InputError(f"核定金额{amount}元超出“{app.call.title}”剩余预算{available}元，不能批准")
    app.amount, app.status = amount, AppStatus.APPROVED
    app.decision_note = "；".join([reason.strip()] + notes if reason.strip() else notes)
    _move_on(app)
    app.save()
    _grant_status(app, on)
    _step(
        app,
        by=by,
        name="批准资助",
        source=source,
        reason=f"核定{amount}元" + (f"；{app.decision_note}" if app.decision_note else ""),
    )
    return app


@transaction.atomic
def decide_awards(*, call: Call, by, on: dt.date | None = None) -> list[Application]:
    """授奖决定: levels by rank within the quotas of the call (higher levels first); the rest are not awarded."""
    on = on or services.today()
    services.require_office(by)
    levels = call.programme.decision.get("levels", [])
    apps = sorted(
        call.applications.filter(status=AppStatus.ACTIVE, stage="decision").select_for_update(),
        key=lambda a: (a.rank or 10**6, a.pk),
    )
    if not apps:
        raise InputError("没有待决定的申报")
    quota = {lvl: int(call.quotas.get(lvl, 0)) for lvl in levels}
    amounts = call.programme.decision.get("amounts", {})
    total_money = sum(Decimal(str(amounts.get(lvl, 0))) * n for lvl, n in quota.items())
    if total_money > call.budget:
        raise InputError(f"各等级名额的奖金合计{total_money}元超出预算{call.budget}元")
    queue = [lvl for lvl in levels for _ in range(quota[lvl])]
    for i, app in enumerate(apps):
        source = _where(app)
        if i < len(queue):
            app.level, app.status = queue[i], AppStatus.APPROVED
            app.amount = Decimal(str(amounts.get(queue[i], 0))) or None
            app.certificate_no = f"鲁专奖{call.year}-{levels.index(queue[i]) + 1}-{i + 1:03d}"
            _move_on(app)
            app.save()
            _grant_status(app, on)
            _step(app, by=by, name="授奖决定", source=source, reason=f"{app.level}（排名第{app.rank}）")
        else:
            app.status = AppStatus.NOT_AWARDED
            app.save()
            _step(app, by=by, name="授奖决定", source=source, reason=f"排名第{app.rank}，超出奖励名额")
    return apps


@transaction.atomic
def decide_recognition(
    *, application: Application, by, approve: bool, level: str = "", reason: str = "", on: dt.date | None = None
) -> Application:
    """认定 / 验收结论 / 推荐 / 考核结论 of one application (decision kind "recognition"): the outcome or one of the
    configured levels (a level listed as failing refuses), a certificate number and the status the scheme confers."""
    on = on or services.today()
    services.require_office(by)
    app = Application.objects.select_for_update().select_related("call__programme").get(pk=application.pk)
    cfg = app.call.programme.decision
    if cfg.get("kind") != "recognition":
        raise InputError("该项目不是认定类项目")
    if app.status != AppStatus.ACTIVE or app.stage != "decision":
        raise InputError("该申报不在决定环节")
    levels = cfg.get("levels", [])
    if approve and levels and level not in levels:
        raise InputError(f"请从{'、'.join(levels)}中选择结论", field="level")
    source = _where(app)
    failing = level in cfg.get("failing", [])
    if not approve or failing:
        if not reason.strip():
            raise InputError("不予认定（或结论为不合格）须写明理由", field="reason")
        app.status, app.level, app.decision_note = AppStatus.REJECTED, level if failing else "", reason.strip()
        app.save()
        _step(app, by=by, name=f"{_outcome(cfg)}：{level or '不予' + _outcome(cfg)}", source=source, reason=reason)
        return app
    app.status, app.level = AppStatus.APPROVED, level or cfg.get("outcome", "认定")
    app.decision_note = reason.strip()
    if cfg.get("certificate"):
        n = app.call.applications.exclude(certificate_no="").count() + 1
        app.certificate_no = f"{cfg.get('cert_prefix', '鲁知')}{app.call.year}-{n:03d}"
    _move_on(app)
    app.save()
    _grant_status(app, on)
    _step(
        app,
        by=by,
        name=_outcome(cfg),
        source=source,
        reason=app.level + (f"；{reason.strip()}" if reason.strip() else ""),
    )
    return app


def _outcome(cfg: dict) -> str:
    return "考核结论" if cfg.get("levels") else cfg.get("outcome", "认定")


# ---------------------------------------------------------------- payment


@transaction.atomic
def create_batch(*, call: Call, by, with_calls=()) -> PaymentBatch:
    """A payment batch of the approved, unpaid applications: one line per institution (集中兑付), each call within its
    budget. `with_calls`: other calls paid in the same batch (e.g. 专利资助 and 质押融资贴息 together), so an
    institution funded by several programmes still gets one line."""
    services.require_office(by)
    calls = [call] + [c for c in with_calls if c.pk != call.pk]
    apps = []
    for c in calls:
        Call.objects.select_for_update().get(pk=c.pk)
        own = list(services.unpaid_approved(c))
        batched = services.batched(c)
        total = sum((a.amount for a in own), Decimal("0"))
        if batched + total > c.budget:
            raise InputError(f"“{c.title}”本批{total}元与已列批次{batched}元合计超出预算{c.budget}元")
        apps += own
    if not apps:
        raise InputError("没有待兑付的已批准申报")
    total = sum((a.amount for a in apps), Decimal("0"))
    batch = PaymentBatch.objects.create(call=call, number=services.next_batch_number(call), total=total, created_by=by)
    by_org = defaultdict(list)
    for app in apps:
        by_org[app.organization_id].append(app)
    for org_apps in by_org.values():
        line = PaymentLine.objects.create(
            batch=batch, organization=org_apps[0].organization, amount=sum((a.amount for a in org_apps), Decimal("0"))
        )
        line.applications.set(org_apps)
    audit.record(
        AuditAction.CREATE,
        obj=batch,
        actor=by,
        after={"total": total, "lines": len(by_org), "applications": len(apps), "calls": [c.pk for c in calls]},
    )
    return batch


@transaction.atomic
def mark_exported(*, batch: PaymentBatch, by) -> PaymentBatch:
    """The batch sheet went to the finance office."""
    services.require_office(by)
    if batch.state == BatchState.DRAFT:
        batch.state = BatchState.EXPORTED
        batch.save(update_fields=["state"])
        audit.record(AuditAction.EXPORT, obj=batch, actor=by, reason="兑付清单报送财务")
    return batch


@transaction.atomic
def confirm_paid(*, batch: PaymentBatch, by, paid_on: dt.date, voucher: str) -> PaymentBatch:
    """The finance office confirmed payment: the batch and each application it covers are marked paid."""
    services.require_office(by)
    if batch.state != BatchState.EXPORTED:
        raise InputError("兑付清单须先导出报送财务，再确认兑付")
    if not voucher.strip():
        raise InputError("请填写财务凭证号", field="voucher")
    batch.state, batch.paid_on, batch.voucher = BatchState.PAID, paid_on, voucher.strip()[:60]
    batch.save()
    for line in batch.lines.all():
        for app in line.applications.all():
            source = _where(app)
            app.status = AppStatus.PAID
            app.save(update_fields=["status"])
            _step(
                app, by=by, name="确认兑付", source=source, reason=f"批次{batch.number}，凭证{batch.voucher}，{paid_on}"
            )
    audit.record(AuditAction.TRANSITION, obj=batch, actor=by, after={"state": batch.state, "voucher": batch.voucher})
    return batch


@transaction.atomic
def claw_back(*, application: Application, by, amount: Decimal, reason: str) -> Clawback:
    """追回: a later check (验收、年度复核) found the support undeserved; statuses it conferred are revoked. An award
    without money is revoked with amount 0 (撤销奖励; its certificate is no longer issued)."""
    services.require_office(by)
    app = Application.objects.select_for_update().get(pk=application.pk)
    if app.status not in (AppStatus.APPROVED, AppStatus.PAID):
        raise InputError("只有已批准或已兑付的申报可以追回")
    amount, granted = Decimal(amount), app.amount or Decimal("0")
    if amount < 0 or amount > granted or (granted > 0 and amount == 0):
        raise InputError(
            f"追回金额应在0至{granted}元之间" if granted else "该申报未核定资金，撤销奖励时追回金额填0", field="amount"
        )
    if not reason.strip():
        raise InputError("请写明追回原因", field="reason")
    source = _where(app)
    item = Clawback.objects.create(application=app, amount=amount, reason=reason.strip(), decided_by=by)
    app.status = AppStatus.CLAWED_BACK
    app.save(update_fields=["status"])
    app.statuses.update(revoked=True)
    name = "追回资金" if granted else "撤销奖励"
    _step(app, by=by, name=name, source=source, reason=f"{amount}元：{reason}" if granted else reason)
    return item
