"""省专利奖 on the engine: nomination, conflict-free blind expert review, trimmed mean, 公示 in working days with
objections, levels within quotas, certificates."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from docx import Document

from ipplatform.core.inputs import InputError
from ipplatform.core.models import User
from ipplatform.core.workflow import history
from ipplatform.experts.models import ConflictOfInterest, Expert
from ipplatform.programmes import documents, flows, services
from ipplatform.programmes.enums import AppStatus, ObjectionState

from .conftest import BANK, ON

QUOTAS = {"特别奖": 0, "一等奖": 1, "二等奖": 1, "三等奖": 1}
SCORES = {"advanced": 25, "novelty": 16, "benefit": 24, "social": 8, "protection": 8}  # 81 points


@pytest.fixture
def experts(db):
    """Six award experts in H01M with accounts of their own."""
    out = []
    for i in range(6):
        user = User.objects.create(username=f"award_expert{i}", role="expert", real_name=f"评审专家{i}")
        out.append(
            Expert.objects.create(
                user=user, name=f"评审专家{i}", ipc_codes="H01M", uses=["awards"], employer_name="某大学"
            )
        )
    return out


@pytest.fixture
def nominate(users, owners, make_patent):
    def make(call, username="qilu_ent", *, owner_name=None, city="city370100"):
        user = users[username]
        patent = make_patent(owners=(owner_name or user.organization.name,))
        app = services.start_application(
            by=user, call=call, title=f"{user.organization.name}锂电池专利", on=call.opens_on
        )
        services.save_form(
            by=user,
            application=app,
            raw={
                "patent_number": patent.pk,
                "summary": "一种锂电池电极材料，能量密度高。",
                "sales": "1200",
                "implementation": "自行实施",
                **BANK,
            },
        )
        flows.submit(application=app, by=user, on=call.opens_on)
        flows.check(application=app, by=users[city], action="pass", reason="推荐", on=call.opens_on)
        flows.check(application=app, by=users["guihua"], action="pass", reason="形式审查合格", on=call.opens_on)
        app.refresh_from_db()
        return app

    return make


def _score_all(app, delta=0, spread=None):
    for i, review in enumerate(app.reviews.select_related("expert__user")):
        scores = dict(SCORES, advanced=min(30, SCORES["advanced"] + delta))
        if spread is not None:
            scores = dict(scores, advanced=spread[i], benefit=spread[i])
        flows.submit_review(review=review, by=review.expert.user, scores=scores, comment="技术先进")


def test_award_round_end_to_end(make_call, nominate, experts, users):
    call = make_call("patent_award", quotas=QUOTAS, budget="0")
    apps = [nominate(call), nominate(call, "haier", city="city370200"), nominate(call, "sdu")]
    assert {a.stage for a in apps} == {"review"}
    assert flows.assign_experts(call=call, by=users["guihua"]) == 15
    assert all(r.blind for r in apps[0].reviews.all())
    with pytest.raises(InputError, match="未全部提交"):
        flows.finish_review(call=call, by=users["guihua"])
    _score_all(apps[0], delta=3)
    _score_all(apps[1], delta=0)
    _score_all(apps[2], delta=-5)
    ranked = flows.finish_review(call=call, by=users["guihua"])
    assert [a.pk for a in ranked] == [apps[0].pk, apps[1].pk, apps[2].pk]
    assert ranked[0].score == Decimal("84.00") and ranked[0].stage == "notice"

    flows.publish_notice(call=call, by=users["guihua"], start=dt.date(2015, 9, 30))
    assert call.notice_end == dt.date(2015, 10, 12)  # National Day: 9-30, 10-8, 10-9, 10-10 (a working Saturday), 10-12
    objection = flows.raise_objection(
        application=apps[1],
        name="张某",
        contact="13800000000",
        text="该专利的实施效益数据与企业年报不符，请核查。",
        on=dt.date(2015, 10, 9),
    )
    with pytest.raises(InputError, match="公示期"):
        flows.raise_objection(
            application=apps[1], name="李某", contact="1", text="公示期后提出的异议内容", on=dt.date(2015, 10, 13)
        )
    with pytest.raises(InputError, match="期满后"):
        flows.close_notice(call=call, by=users["guihua"], on=dt.date(2015, 10, 12))
    with pytest.raises(InputError, match="未处理的异议"):
        flows.close_notice(call=call, by=users["guihua"], on=dt.date(2015, 10, 13))
    flows.handle_objection(objection=objection, by=users["guihua"], upheld=True, response="经核查，销售额数据不实")
    objection.refresh_from_db()
    assert objection.state == ObjectionState.UPHELD
    assert flows.close_notice(call=call, by=users["guihua"], on=dt.date(2015, 10, 13)) == 2

    decided = flows.decide_awards(call=call, by=users["guihua"], on=dt.date(2015, 10, 20))
    by_pk = {a.pk: a for a in decided}
    assert by_pk[apps[0].pk].level == "一等奖" and by_pk[apps[2].pk].level == "二等奖"
    apps[1].refresh_from_db()
    assert apps[1].status == AppStatus.REJECTED and not apps[1].level
    first = by_pk[apps[0].pk]
    assert first.certificate_no.startswith("鲁专奖2015-2-") and first.stage == "certificate"
    text = "\n".join(p.text for p in Document(io.BytesIO(documents.certificate_docx(first))).paragraphs)
    assert "荣获2015年度山东省专利奖一等奖" in text and first.organization.name in text
    assert [h.transition for h in history(first)][-3:] == ["发布公示", "公示期满", "授奖决定"]
    decision = Document(io.BytesIO(documents.decision_docx(call)))
    assert decision.paragraphs[0].text == "关于2015年度山东省专利奖授奖的决定"
    rows = [[c.text for c in row.cells] for row in decision.tables[0].rows]
    assert [r[1] for r in rows[1:]] == ["一等奖", "二等奖"] and rows[1][2] == first.organization.name


def test_levels_follow_quotas_and_the_rest_are_not_awarded(make_call, nominate, experts, users):
    call = make_call("patent_award", quotas={"一等奖": 1, "三等奖": 1})
    apps = [nominate(call), nominate(call, "haier", city="city370200"), nominate(call, "sdu")]
    flows.assign_experts(call=call, by=users["guihua"])
    for delta, app in zip((0, 2, 4), apps):
        _score_all(app, delta=delta)
    flows.finish_review(call=call, by=users["guihua"])
    flows.publish_notice(call=call, by=users["guihua"], start=dt.date(2015, 9, 30))
    flows.close_notice(call=call, by=users["guihua"], on=dt.date(2015, 10, 13))
    result = {a.organization.name: (a.level, a.status) for a in flows.decide_awards(call=call, by=users["guihua"])}
    assert result[apps[2].organization.name] == ("一等奖", AppStatus.APPROVED)
    assert result[apps[1].organization.name] == ("三等奖", AppStatus.APPROVED)
    assert result[apps[0].organization.name] == ("", AppStatus.NOT_AWARDED)


def test_dismissed_objection_keeps_the_application(make_call, nominate, experts, users):
    call = make_call("patent_award", quotas=QUOTAS)
    app = nominate(call)
    flows.assign_experts(call=call, by=users["guihua"])
    _score_all(app)
    flows.finish_review(call=call, by=users["guihua"])
    flows.publish_notice(call=call, by=users["guihua"], start=dt.date(2015, 11, 2))
    objection = flows.raise_objection(
        application=app, name="王某", contact="0531-1", text="怀疑该专利权属存在争议，请核查。", on=dt.date(2015, 11, 3)
    )
    with pytest.raises(PermissionDenied):
        flows.handle_objection(objection=objection, by=users["city370100"], upheld=True, response="x")
    flows.handle_objection(objection=objection, by=users["guihua"], upheld=False, response="权属清楚，异议不成立")
    app.refresh_from_db()
    assert app.status == AppStatus.ACTIVE and history(app).last().transition == "异议不成立"


def test_notice_must_start_on_a_working_day(make_call, nominate, experts, users):
    call = make_call("patent_award", quotas=QUOTAS)
    app = nominate(call)
    flows.assign_experts(call=call, by=users["guihua"])
    _score_all(app)
    flows.finish_review(call=call, by=users["guihua"])
    with pytest.raises(InputError, match="不是工作日"):
        flows.publish_notice(call=call, by=users["guihua"], start=dt.date(2015, 10, 1))


def test_expert_scores_outside_the_range_are_refused_and_only_the_expert_scores(make_call, nominate, experts, users):
    call = make_call("patent_award", quotas=QUOTAS)
    app = nominate(call)
    flows.assign_experts(call=call, by=users["guihua"])
    review = app.reviews.select_related("expert__user").first()
    with pytest.raises(InputError, match="技术先进性.*0—30"):
        flows.submit_review(review=review, by=review.expert.user, scores=dict(SCORES, advanced=31))
    with pytest.raises(PermissionDenied):
        flows.submit_review(review=review, by=users["guihua"], scores=SCORES)


def test_dispersed_scores_are_flagged(make_call, nominate, experts, users):
    call = make_call("patent_award", quotas=QUOTAS)
    app = nominate(call)
    flows.assign_experts(call=call, by=users["guihua"])
    _score_all(app, spread=[30, 5, 28, 6, 29])
    flows.finish_review(call=call, by=users["guihua"])
    app.refresh_from_db()
    assert app.score_flagged and "分歧较大" in history(app).last().reason


def test_experts_with_a_conflict_are_not_drawn(make_call, nominate, experts, users, orgs, owners, make_patent):
    from ipplatform.patents.models import Applicant

    call = make_call("patent_award", quotas=QUOTAS)
    app = nominate(call)
    jinan, sdu = app.organization, owners["sdu"]
    employed, conflicted, coapplicant = experts[0], experts[1], experts[2]
    employed.employer = jinan
    employed.save()
    ConflictOfInterest.objects.create(expert=conflicted, organization=jinan, kind="cooperation", note="合作研发")
    # 山东大学 co-applied with the applicant in 2014: its staff stand aside too
    make_patent(owners=(jinan.name, "山东大学"), filed=dt.date(2014, 2, 1))
    Applicant.objects.filter(name="山东大学").update(organization=sdu)
    coapplicant.employer = sdu
    coapplicant.save()
    drawn = services.draw_experts(application=app, count=5, use="awards", on=ON)
    assert {e.pk for e in drawn} == {experts[3].pk, experts[4].pk, experts[5].pk}


def test_a_recent_award_bars_a_new_nomination(make_call, nominate, experts, users):
    from ipplatform.programmes.eligibility import refusals

    call = make_call("patent_award", quotas=QUOTAS)
    app = nominate(call)
    app.status = AppStatus.APPROVED
    app.save()
    reasons = refusals(programme=call.programme, org=app.organization, on=dt.date(2016, 9, 1))
    assert any("2015年获“2015年度山东省专利奖”支持" in r for r in reasons)


def test_form_answers_are_recorded_in_the_audit_trail_by_their_labels(make_call, nominate):
    from ipplatform.core.labels import audit_changes
    from ipplatform.core.models import AuditEvent

    app = nominate(make_call("patent_award", quotas=QUOTAS, budget="0"))
    event = AuditEvent.objects.filter(
        object_type="programmes.application", object_id=str(app.pk), action="update"
    ).get()
    assert "patent_number" not in event.after and event.after["参评专利申请号"] == app.data["patent_number"]
    assert ("参评专利申请号", "", app.data["patent_number"]) in audit_changes(event)
