"""Codes never reach users: states, steps and people in Chinese (core.labels), in the audit view and histories."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from ipplatform.core import audit, labels
from ipplatform.core.enums import AuditAction
from ipplatform.core.models import Organization, StateTransition
from ipplatform.protection.models import Case
from ipplatform.workplan.models import Task


def test_state_and_step_names():
    assert labels.state_label(Task, "state", "not_started") == "未启动"
    assert labels.state_label(Task, "state", "in_progress") == "推进中"
    assert labels.state_label(Task, "state", "no_such_state") == "（未命名状态）"  # never the raw code
    assert labels.transition_label(Case, "file_case") == "立案"  # from the method's Chinese docstring
    assert labels.transition_label(Case, "decide_penalty") not in ("", "decide_penalty")
    assert labels.transition_label(Task, "start") == "开始办理"  # English docstring: the shared table
    assert labels.transition_label(Task, "made_up_step") == "变更状态"


@pytest.mark.django_db
def test_people_by_name_and_unit(users):
    assert labels.person_label(users["xietiao"]) == "张科长（山东省知识产权局·协调管理处）"
    assert labels.person_label(users["city370200"]).startswith("青岛市局 工作人员（")
    assert "city370200" not in labels.person_label(users["city370200"])
    nameless = users["public"]
    nameless.real_name = ""
    assert labels.person_label(nameless) == "public"  # the login name only when no name is on file
    assert labels.system_label("scheduler") == "系统（自动）"


@pytest.mark.django_db
def test_history_rows_and_audit_page_show_labels(client, users):
    office = Organization.objects.get(name="山东省知识产权局")
    row = StateTransition.objects.create(
        content_type=ContentType.objects.get_for_model(Task),
        object_id="1",
        transition="start",
        source="not_started",
        target="in_progress",
        actor_id=users["xietiao"].pk,
        actor_name="xietiao",
        at=timezone.now(),
    )
    assert (row.source_label, row.target_label, row.transition_label) == ("未启动", "推进中", "开始办理")
    assert row.actor_label == "张科长（山东省知识产权局·协调管理处）"
    audit.record(
        AuditAction.TRANSITION,
        object_type="workplan.task",
        object_id="1",
        object_repr="任务1",
        before={"state": "not_started"},
        after={"state": "in_progress"},
        reason="start: 已部署",
        actor=users["xietiao"],
    )
    client.force_login(users["admin"])
    html = client.get("/audit/").content.decode()
    assert "未启动" in html and "→ 推进中" in html and "开始办理：已部署" in html
    assert "张科长（山东省知识产权局·协调管理处）" in html
    assert "not_started" not in html and "in_progress" not in html and "start:" not in html
    assert office.name in html


def test_notification_categories_in_chinese():
    assert labels.notification_kind("finance.pledge") == "质押融资"
    assert labels.notification_kind("督办") == "督办"
    assert labels.notification_kind("some_new_kind") == "通知"


def test_audit_changes_naming_a_relation_do_not_fail():
    class Event:
        object_type = "core.organization"
        before, after = {"users": [1]}, {"users": [1, 2], "kind": "bank", "data": {"patent_number": "CN1"}}

    rows = labels.audit_changes(Event())
    assert rows[0][0] == "users" and rows[0][2] == "1、2" and rows[1][0] == "类型" and rows[1][2] != "bank"
    assert rows[2][2] == "CN1"  # JSON form data by its values, not its internal keys
    form = [{"name": "patent_number", "label": "参评专利申请号", "type": "text"}]
    assert labels._value_label(None, "form", form) == "参评专利申请号"


def test_a_step_recorded_by_its_chinese_name_keeps_that_name():
    from ipplatform.core.labels import transition_label

    assert transition_label(None, "批准资助") == "批准资助"
    assert transition_label(None, "some_unknown_code") == "变更状态"
