"""Rights decided in services rather than views and templates (extension approval, recording the hearing), bulk
changes on the audit trail, and the module layering that keeps documents and models free of services."""

import ast
import datetime as dt
from pathlib import Path

import pytest

from ipplatform.core.models import AuditEvent
from ipplatform.protection import services
from ipplatform.protection.models import Case

D = dt.date
pytestmark = pytest.mark.django_db
APP = Path(services.__file__).parent


def _counterfeit_in_hearing(make_case, step):
    case = make_case("counterfeit", received_on=D(2025, 2, 10), title="销售标注失效专利号的电动工具")
    for name in ("file_case", "begin_investigation", "submit_report", "legal_review"):
        case = step(case, name, on=D(2025, 2, 20))
    case = step(case, "notify_pre_decision", on=D(2025, 3, 5))
    return step(case, "request_hearing", on=D(2025, 3, 7))


def _latest_update(obj) -> AuditEvent:
    return AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk), action="update").latest(
        "seq"
    )


# ---------------------------------------------------------------- extension approval


def test_the_head_of_the_handling_body_may_approve_an_officers_extension(make_case, officer, head):
    assert services.can_approve_extension(user=head, case=make_case(), requested_by=officer)


def test_nobody_approves_their_own_extension(make_case, head):
    assert not services.can_approve_extension(user=head, case=make_case(), requested_by=head)


def test_an_officer_who_is_not_a_head_may_not_approve(make_case, users, officer, head):
    assert not services.can_approve_extension(user=officer, case=make_case(), requested_by=users["huangdao"])


def test_no_approver_named_is_no_approval(make_case, officer, head):
    assert not services.can_approve_extension(user=None, case=make_case(), requested_by=officer)


def test_the_approver_list_leaves_out_the_requesting_head(make_case, head):
    assert head not in services.extension_approvers(case=make_case(), requested_by=head)


def test_the_approver_list_offers_the_head_to_an_officer(make_case, officer, head):
    assert list(services.extension_approvers(case=make_case(), requested_by=officer)) == [head]


# ---------------------------------------------------------------- recording the hearing


def test_the_presiding_officer_records_the_hearing(make_case, step, officer, head):
    case = _counterfeit_in_hearing(make_case, step)
    services.schedule_penalty_hearing(
        case=case, by=officer, hearing_date="2025-03-19", presider=head, on=D(2025, 3, 10)
    )
    assert services.can_record_hearing(user=head, case=Case.objects.get(pk=case.pk))


def test_another_officer_does_not_record_the_hearing(make_case, step, officer, head):
    case = _counterfeit_in_hearing(make_case, step)
    services.schedule_penalty_hearing(
        case=case, by=officer, hearing_date="2025-03-19", presider=head, on=D(2025, 3, 10)
    )
    assert not services.can_record_hearing(user=officer, case=Case.objects.get(pk=case.pk))


# ---------------------------------------------------------------- bulk changes on the audit trail


def _closed_with_goods_outstanding(make_case, step, head):
    """A police transfer closed after the police accepted it, while the goods were still to be handed over."""
    case = make_case("police_transfer", received_on=D(2026, 2, 12))
    case = step(case, "form_task_group", on=D(2026, 2, 12))
    case = step(case, "submit_transfer_report", on=D(2026, 2, 13))
    case = step(case, "approve_transfer", on=D(2026, 2, 13), reason="负责人批准", by=head)
    case = step(
        case,
        "transfer_to_police",
        on=D(2026, 2, 14),
        documents=["transfer_letter", "investigation_report", "items_list", "inspection_report", "other_materials"],
    )
    case = step(case, "police_accept", on=D(2026, 2, 16))
    goods = case.deadlines.get(rule__code="PT_GOODS", status="open")
    step(case, "close", on=D(2026, 3, 2), reason="公安机关已立案侦查")
    return goods


def test_a_time_limit_ended_by_closing_the_case_is_recorded_with_its_actor(make_case, step, officer, head):
    goods = _closed_with_goods_outstanding(make_case, step, head)
    event = _latest_update(goods)
    assert (event.actor_id, event.before["status"], event.after["status"]) == (officer.pk, "open", "cancelled")


def test_the_recorded_reason_names_the_step_that_ended_the_limit(make_case, step, head):
    goods = _closed_with_goods_outstanding(make_case, step, head)
    assert _latest_update(goods).reason.endswith("未届满的期限终止")


def test_a_suspension_ended_by_a_withdrawal_is_recorded(make_case, step):
    case = step(make_case(received_on=D(2026, 3, 2)), "accept", on=D(2026, 3, 2))
    case = step(case, "suspend", on=D(2026, 3, 3), basis="无效宣告受理通知书")
    suspension = case.suspensions.get()
    step(case, "withdraw", on=D(2026, 3, 10), reason="请求人撤回")
    event = _latest_update(suspension)
    assert (event.before, event.after) == ({"end": None}, {"end": "2026-03-10"})


# ---------------------------------------------------------------- module layering


def _imports(module: str) -> set[str]:
    tree = ast.parse((APP / f"{module}.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names.add(("." * node.level) + (node.module or ""))
            names.update(f".{a.name}" for a in node.names if node.level and not node.module)
    return names


def test_documents_do_not_import_services():
    assert ".services" not in _imports("documents")


def test_models_do_not_import_documents():
    assert ".documents" not in _imports("models")
