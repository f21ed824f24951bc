"""验收 / 年度复核 after a decision: the round, the applicant's report, pass or fail, 追回 after a failure, reminders."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from ipplatform.core.inputs import InputError
from ipplatform.core.models import Notification
from ipplatform.core.workflow import history
from ipplatform.programmes import checks, flows
from ipplatform.programmes.enums import AppStatus, CheckState

from .conftest import ON

REPORT = {"progress": "试点任务全部完成，新增专利申请12件", "spending": "资金按计划使用", "new_patents": "12"}


@pytest.fixture(autouse=True)
def files_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.SHARED_DIR = tmp_path


@pytest.fixture
def decided(make_call, make_patent, subsidy_application, to_decision, users):
    call = make_call()
    app = to_decision(subsidy_application(call, [(make_patent(), "grant")]))
    flows.decide_funding(application=app, by=users["guihua"], approve=True, on=ON)
    app.refresh_from_db()
    return app


def report_file():
    return SimpleUploadedFile("验收报告.pdf", b"%PDF-1.4\n%report\n", content_type="application/pdf")


def test_round_report_pass(decided, users):
    rnd = checks.open_round(
        call=decided.call, by=users["guihua"], kind="acceptance", due_on=dt.date(2016, 3, 31), on=ON
    )
    report = rnd.reports.get()
    assert report.application == decided and report.state == CheckState.PENDING
    with pytest.raises(PermissionDenied):
        checks.submit_report(report=report, by=users["haier"], raw=REPORT, upload=report_file(), on=ON)
    with pytest.raises(InputError, match="请填写“目标任务完成情况”；请上传报告附件"):
        checks.submit_report(report=report, by=users["qilu_ent"], raw={}, on=ON)
    with pytest.raises(InputError, match="只有已提交的报告"):
        checks.record_result(report=report, by=users["guihua"], passed=True, reason="合格")
    checks.submit_report(report=report, by=users["qilu_ent"], raw=REPORT, upload=report_file(), on=ON)
    report.refresh_from_db()
    assert report.state == CheckState.SUBMITTED and report.filename == "验收报告.pdf"
    assert report.data == {"progress": REPORT["progress"]}  # 专利资助 has no checks form of its own: the default one
    with pytest.raises(PermissionDenied):
        checks.record_result(report=report, by=users["city370100"], passed=True, reason="合格")
    with pytest.raises(InputError, match="请写明结论说明"):
        checks.record_result(report=report, by=users["guihua"], passed=True, reason=" ")
    checks.record_result(report=report, by=users["guihua"], passed=True, reason="验收合格")
    report.refresh_from_db()
    assert report.state == CheckState.PASSED
    steps = [h.transition for h in history(decided)]
    assert steps[-3:] == ["启动验收", "提交验收报告", "验收通过"]


def test_failed_check_leads_to_claw_back(decided, users):
    rnd = checks.open_round(call=decided.call, by=users["guihua"], kind="annual", due_on=dt.date(2016, 3, 31), on=ON)
    report = rnd.reports.get()
    checks.submit_report(report=report, by=users["qilu_ent"], raw=REPORT, upload=report_file(), on=ON)
    checks.record_result(report=report, by=users["guihua"], passed=False, reason="专利权已于申报前转让")
    with pytest.raises(InputError, match="已有结论"):
        checks.submit_report(report=report, by=users["qilu_ent"], raw=REPORT, on=ON)
    flows.claw_back(application=decided, by=users["guihua"], amount=Decimal("4000"), reason="年度复核不通过")
    decided.refresh_from_db()
    assert decided.status == AppStatus.CLAWED_BACK
    assert [h.transition for h in history(decided)][-2:] == ["年度复核不通过", "追回资金"]


def test_a_round_needs_decided_applications_and_a_future_date(make_call, users, decided):
    with pytest.raises(InputError, match="报告截止日期应晚于今天"):
        checks.open_round(call=decided.call, by=users["guihua"], kind="annual", due_on=ON, on=ON)
    with pytest.raises(InputError, match="没有已批准的项目"):
        checks.open_round(
            call=make_call(year=2016), by=users["guihua"], kind="annual", due_on=dt.date(2016, 1, 5), on=ON
        )
    with pytest.raises(PermissionDenied):
        checks.open_round(call=decided.call, by=users["qilu_ent"], kind="annual", due_on=dt.date(2016, 1, 5), on=ON)


def test_reminders_before_the_due_date_once(decided, users):
    due = dt.date(2015, 10, 20)
    rnd = checks.open_round(call=decided.call, by=users["guihua"], kind="annual", due_on=due, on=ON)
    assert checks.send_reminders(on=dt.date(2015, 10, 1)) == 0  # more than a week ahead
    sent = checks.send_reminders(on=dt.date(2015, 10, 14))
    assert sent == users["qilu_ent"].organization.users.filter(is_active=True).count() >= 1
    assert checks.send_reminders(on=dt.date(2015, 10, 15)) == 0  # the week's reminder went out once
    note = Notification.objects.filter(user=users["qilu_ent"], kind="programme_check").get()
    assert "2015-10-20" in note.title and "还剩6天" in note.body
    checks.submit_report(report=rnd.reports.get(), by=users["qilu_ent"], raw=REPORT, upload=report_file(), on=ON)
    assert checks.send_reminders(on=due) == 0  # submitted: no due-day reminder


def test_reminder_command_runs(db, capsys):
    from io import StringIO

    out = StringIO()
    call_command("programmes_reminders", stdout=out)
    assert "验收、复核报告到期提醒0条" in out.getvalue()
