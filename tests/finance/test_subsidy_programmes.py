"""质押融资贴息 and 专利保险补贴 on the programme engine: one notice/objection/payment path with 专利资助, finance's
amount rule applied through the engine's hooks, access scoped as before, and the data migration of old rows."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from openpyxl import load_workbook

from ipplatform.core.inputs import InputError
from ipplatform.core.workflow import history
from ipplatform.finance import subsidy_programmes as sp
from ipplatform.lib.xlsx import workbook_bytes
from ipplatform.programmes import defaults, flows, hooks
from ipplatform.programmes import services as programme_services
from ipplatform.programmes.enums import AppStatus, BatchState, ObjectionState
from ipplatform.programmes.models import Application

from .conftest import TODAY
from .test_subsidies import _apply, _registered, calls, rules  # noqa: F401 - fixtures used below

QILU_BANK = {"contact": "郑经理", "phone": "0531-88888888", "bank": "齐鲁银行济南分行", "account": "6228 0000 1234"}


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_hooks_are_registered_by_finance_and_the_engine_does_not_import_finance():
    assert set(sp.CODES) <= set(hooks.registered_codes())
    import pathlib

    engine = pathlib.Path(programme_services.__file__).parent
    assert not [p.name for p in engine.rglob("*.py") if "ipplatform.finance" in p.read_text(encoding="utf-8")]


def _patent_subsidy_application(users, make_patent):
    """A 专利资助 application of the same institution (qilu_ent), decided: one granted invention, 5000 元 (2016
    policy, 模拟数据)."""
    programme = defaults.ensure_programmes()[defaults.PATENT_SUBSIDY]
    call = programme_services.create_call(
        by=users["xietiao"],
        programme=programme,
        year=2026,
        title="2026年度专利资助",
        opens_on=dt.date(2026, 1, 1),
        closes_on=dt.date(2026, 12, 31),
        budget=Decimal("100000"),
    )
    user = users["qilu_ent"]
    app = programme_services.start_application(by=user, call=call, on=TODAY)
    programme_services.save_form(by=user, application=app, raw=QILU_BANK)
    patent = make_patent(owners=(user.organization.name,), grant_date=dt.date(2025, 8, 20))
    programme_services.add_claim(by=user, application=app, patent_number=patent.pk, kind="grant", on=TODAY)
    flows.submit(application=app, by=user, on=TODAY)
    flows.check(application=app, by=users["city370100"], action="pass", reason="材料齐全", on=TODAY)
    flows.check(application=app, by=users["guihua"], action="pass", reason="形式审查合格", on=TODAY)
    return flows.decide_funding(application=app, by=users["xietiao"], approve=True, on=TODAY)


def test_pledge_interest_checked_noticed_objected_decided_paid_with_patent_subsidy_and_clawed_back(
    rules,  # noqa: F811
    calls,  # noqa: F811
    users,
    make_patent,
    pledge_data,
):
    x = users["xietiao"]
    pledge = _registered(users, make_patent, pledge_data, "qilu_ent")
    app, reasons = _apply(users, calls, "qilu_ent", pledge=pledge, interest_paid="20", submit=True)
    assert reasons == [] and app.status == AppStatus.ACTIVE and app.stage == "city_check"

    # 属地初审: the bureau of the applicant's city, not another city's
    with pytest.raises(PermissionDenied):
        flows.check(application=app, by=users["city370200"], action="pass", on=TODAY)
    flows.check(application=app, by=users["city370100"], action="pass", reason="首次质押，材料齐全", on=TODAY)

    # 公示 for 5 working days: Tue 2026-03-10 … Mon 2026-03-16
    call = flows.publish_notice(call=app.call, by=x, start=TODAY)
    assert (call.notice_start, call.notice_end) == (TODAY, dt.date(2026, 3, 16))
    html = Client().get(f"/programmes/calls/{call.pk}/notice/").content.decode()
    assert users["qilu_ent"].organization.name in html and "100000.00" in html  # 20万 × 0.5 = 10万元, in 元

    # an objection from the public during the notice; none after it
    objection = flows.raise_objection(
        application=app,
        name="某商业银行",
        contact="0531-1",
        text="该笔贷款已展期，实付利息应重新核定",
        on=dt.date(2026, 3, 12),
    )
    with pytest.raises(InputError, match="不在公示期内"):
        flows.raise_objection(
            application=app, name="某人", contact="1", text="公示期满后提出的异议内容", on=dt.date(2026, 3, 17)
        )
    with pytest.raises(InputError, match="期满后"):
        flows.close_notice(call=call, by=x, on=dt.date(2026, 3, 16))
    with pytest.raises(InputError, match="未处理的异议"):
        flows.close_notice(call=call, by=x, on=dt.date(2026, 3, 17))
    flows.handle_objection(objection=objection, by=x, upheld=False, response="经核实贷款未展期，异议不成立")
    objection.refresh_from_db()
    assert objection.state == ObjectionState.DISMISSED
    flows.close_notice(call=call, by=x, on=dt.date(2026, 3, 17))

    # 资助决定 within the call's budget, the amount by finance's rule
    call.budget = Decimal("50000")
    call.save()
    with pytest.raises(InputError, match="超出.*剩余预算50000"):
        flows.decide_funding(application=app, by=x, approve=True, on=dt.date(2026, 3, 17))
    call.budget = Decimal("1000000")
    call.save()
    app = flows.decide_funding(application=app, by=x, approve=True, on=dt.date(2026, 3, 17))
    assert app.amount == Decimal("100000.00") and "实付利息20万元 × 0.5 = 10.00万元" in app.decision_note

    # 集中兑付 together with the same institution's 专利资助: one payment line
    other = _patent_subsidy_application(users, make_patent)
    assert other.amount == Decimal("5000")
    batch = flows.create_batch(call=other.call, by=x, with_calls=[call])
    [line] = batch.lines.all()
    assert line.organization == users["qilu_ent"].organization and line.amount == Decimal("105000.00")
    assert set(line.applications.all()) == {app, other} and batch.total == Decimal("105000.00")
    ws = load_workbook(io.BytesIO(workbook_bytes([programme_services.batch_sheet(batch)]))).active
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header = values.index(next(r for r in values if r[0] == "序号"))
    assert values[header][:2] == ["序号", "收款单位"] and values[header][8] == "金额（元）"
    [row] = values[header + 1 : -1]
    assert row[1] == users["qilu_ent"].organization.name and row[4] == "专利资助、质押融资贴息" and row[5] == 2
    assert float(row[8]) == 105000.0 and values[-1][0] == "合计" and float(values[-1][8]) == 105000.0
    with pytest.raises(InputError, match="没有待兑付"):
        flows.create_batch(call=call, by=x)
    flows.mark_exported(batch=batch, by=x)
    flows.confirm_paid(batch=batch, by=x, paid_on=dt.date(2026, 4, 1), voucher="记-2026-0401")
    batch.refresh_from_db()
    assert batch.state == BatchState.PAID
    assert {a.status for a in Application.objects.filter(pk__in=[app.pk, other.pk])} == {AppStatus.PAID}

    # 追回 after a later check
    with pytest.raises(InputError, match="0至100000.00元"):
        flows.claw_back(application=app, by=x, amount=Decimal("100001"), reason="超额")
    flows.claw_back(
        application=app, by=x, amount=Decimal("100000"), reason="年度复核发现贷款系借新还旧，不符合贴息条件"
    )
    app.refresh_from_db()
    assert app.status == AppStatus.CLAWED_BACK and app.clawbacks.get().amount == Decimal("100000")
    steps = [h.transition for h in history(app)]
    assert steps == [
        "提交申报",
        "属地初审通过",
        "发布公示",
        "异议不成立",
        "公示期满",
        "批准资助",
        "确认兑付",
        "追回资金",
    ]


def test_finance_pages_are_views_on_the_engines_records_scoped_as_before(
    rules,  # noqa: F811
    calls,  # noqa: F811
    users,
    make_patent,
    pledge_data,
):
    pledge = _registered(users, make_patent, pledge_data, "qilu_ent")
    app, _ = _apply(users, calls, "qilu_ent", pledge=pledge, interest_paid="20", submit=True)
    url = f"/programmes/applications/{app.pk}/"
    for who in ("qilu_ent", "city370100", "xietiao", "leader"):  # own enterprise, its city's bureau, the office
        assert url in _client(users[who]).get("/finance/subsidies/").content.decode(), who
        r = _client(users[who]).get(f"/finance/subsidies/{app.pk}/")
        assert (r.status_code, r["Location"]) == (302, url), who
    for who in ("haier", "city370200"):  # another enterprise, another city
        assert url not in _client(users[who]).get("/finance/subsidies/").content.decode(), who
        assert _client(users[who]).get(f"/finance/subsidies/{app.pk}/").status_code in (403, 404), who
    assert _client(users["bank"]).get("/finance/subsidies/").status_code == 403  # banks never saw subsidies
    r = _client(users["qilu_ent"]).get("/finance/subsidies/new/?kind=interest")
    assert r["Location"] == f"/programmes/calls/{calls[sp.PLEDGE_INTEREST].pk}/"
    ws = load_workbook(io.BytesIO(_client(users["city370200"]).get("/finance/subsidies/?export=xlsx").content)).active
    assert users["qilu_ent"].organization.name not in " ".join(str(c.value) for r in ws.iter_rows() for c in r)
    # the pledge page of the application's subject
    assert f"/finance/pledges/{pledge.pk}/" in _client(users["qilu_ent"]).get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_data_migration_moves_old_subsidies_objections_and_batches_onto_the_engine(orgs):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("finance", "0002_pledge_cnipa_registration"), ("programmes", "0001_initial")]
    after = [("finance", "0003_subsidies_on_programme_engine"), ("programmes", "0002_finance_link")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        Old = old.get_model("finance", "SubsidyApplication")
        org = orgs["ent_jinan"]
        batch = old.get_model("finance", "PaymentBatch").objects.create(
            number="DF202603-001", title="2026年第一批", state="paid", paid_on=dt.date(2026, 4, 1)
        )
        paid = Old.objects.create(
            kind="premium",
            applicant_id=org.pk,
            region_code="370112",
            year=2026,
            policy_number="PICC-1",
            premium_paid=Decimal("6"),
            amount=Decimal("3.60"),
            computation="实缴保费6万元 × 0.6 = 3.60万元",
            state="paid",
            bank_account="齐鲁银行 6228",
            batch_id=batch.pk,
        )
        noticed = Old.objects.create(
            kind="interest",
            applicant_id=org.pk,
            region_code="370112",
            year=2026,
            interest_paid=Decimal("20"),
            state="notice",
            notice_start=dt.date(2026, 3, 10),
            notice_end=dt.date(2026, 3, 16),
        )
        old.get_model("finance", "SubsidyObjection").objects.create(
            application_id=noticed.pk, received_on=dt.date(2026, 3, 12), objector="某银行", content="重复申报"
        )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        App = new.get_model("programmes", "Application")
        moved = App.objects.get(data__migrated_from=f"finance.subsidyapplication:{paid.pk}")
        assert (moved.status, moved.stage, moved.amount) == ("paid", "payment", Decimal("36000.00"))
        assert moved.call.programme.code == sp.PATENT_INSURANCE and moved.subject_ref == "finance.insurance:PICC-1"
        line = new.get_model("programmes", "PaymentLine").objects.get(applications=moved)
        assert (line.batch.number, line.batch.state, line.amount) == ("DF202603-001", "paid", Decimal("36000.00"))
        waiting = App.objects.get(data__migrated_from=f"finance.subsidyapplication:{noticed.pk}")
        assert (waiting.status, waiting.stage) == ("active", "notice")
        assert waiting.call.notice_end == dt.date(2026, 3, 16) and not waiting.call.notice_closed
        objection = new.get_model("programmes", "Objection").objects.get(application=waiting)
        assert (objection.name, objection.state) == ("某银行", "open")
    finally:
        MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
