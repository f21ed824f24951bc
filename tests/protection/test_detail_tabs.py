"""The case page in tabs: the actions it offers are exactly those the state and the user allow (one check)."""

import datetime as dt

import pytest

from ipplatform.core.inputs import InputError
from ipplatform.core.models import AuditEvent
from ipplatform.protection import services

pytestmark = pytest.mark.django_db
D = dt.date


def _buttons(page: str) -> list[str]:
    import re

    return re.findall(r'<details class="action card" id="act-([a-z_]+)"', page)


def test_tabs_work_without_javascript(client, users, make_case):
    case = make_case()
    client.force_login(users["city370200"])
    page = client.get(f"/protection/cases/{case.pk}/").content.decode()
    for key, label in [("overview", "概况"), ("handle", "办理"), ("evidence", "材料/证据"), ("history", "流转记录")]:
        assert f'href="?tab={key}"' in page and label in page
    assert 'data-tab-panel="overview" id="panel-overview" aria-labelledby="tablink-overview">' in page
    assert 'data-tab-panel="handle" id="panel-handle" aria-labelledby="tablink-handle" hidden>' in page
    assert "js/tabs.js" in page and "<script>" not in page
    page = client.get(f"/protection/cases/{case.pk}/?tab=evidence").content.decode()
    assert 'id="panel-evidence" aria-labelledby="tablink-evidence">' in page
    assert 'id="panel-overview" aria-labelledby="tablink-overview" hidden>' in page
    assert 'aria-current="page">材料/证据' in page
    unknown = client.get(f"/protection/cases/{case.pk}/?tab=nonsense").content.decode()
    assert 'id="panel-overview" aria-labelledby="tablink-overview">' in unknown


def test_buttons_are_the_allowed_transitions_and_follow_the_state(client, users, make_case, step):
    case = make_case()
    client.force_login(users["city370200"])
    page = client.get(f"/protection/cases/{case.pk}/").content.decode()
    assert _buttons(page) == [n for n, _ in services.allowed_transitions(case=case, user=users["city370200"])]
    assert "accept" in _buttons(page) and "decide" not in _buttons(page)
    assert 'id="reason-accept" name="reason" required' in page
    case = step(case, "accept", on=D(2026, 2, 13))
    page = client.get(f"/protection/cases/{case.pk}/?tab=handle").content.decode()
    assert "accept" not in _buttons(page) and "serve_respondent" in _buttons(page)


def test_requester_sees_no_actions_and_no_handling_tab(client, users, make_case):
    case = make_case(requester_user=users["haier"])
    client.force_login(users["haier"])
    page = client.get(f"/protection/cases/{case.pk}/").content.decode()
    assert _buttons(page) == [] and 'href="?tab=handle"' not in page and 'href="?tab=documents"' not in page
    assert services.allowed_transitions(case=case, user=users["haier"]) == []
    response = client.post(f"/protection/cases/{case.pk}/transition/", {"transition": "accept", "reason": "x"})
    assert response.status_code == 403


def test_head_only_transfer_approval_is_shown_only_to_the_head(client, users, make_case, step, head):
    case = make_case("police_transfer", received_on=D(2026, 2, 12))
    case = step(case, "form_task_group", on=D(2026, 2, 12))
    case = step(case, "submit_transfer_report", on=D(2026, 2, 13))
    officer = users["city370200"]
    assert services.transition_bar(case=case, name="approve_transfer", user=officer).startswith("批准或不批准移送须由")
    assert "approve_transfer" not in [n for n, _ in services.allowed_transitions(case=case, user=officer)]
    assert "approve_transfer" in [n for n, _ in services.allowed_transitions(case=case, user=head)]
    client.force_login(officer)
    assert "approve_transfer" not in _buttons(client.get(f"/protection/cases/{case.pk}/?tab=handle").content.decode())
    with pytest.raises(InputError, match="正职负责人或主持工作的负责人"):  # doing fails for the same reason
        step(case, "approve_transfer", on=D(2026, 2, 13))
    client.force_login(head)
    assert "approve_transfer" in _buttons(client.get(f"/protection/cases/{case.pk}/?tab=handle").content.decode())


def test_action_records_its_reason_and_returns_to_the_handling_tab(client, users, make_case):
    case = make_case()
    client.force_login(users["city370200"])
    response = client.post(f"/protection/cases/{case.pk}/transition/", {"transition": "accept", "reason": ""})
    case.refresh_from_db()
    assert case.state == "requested"
    response = client.post(
        f"/protection/cases/{case.pk}/transition/", {"transition": "accept", "reason": "材料齐全，予以受理"}
    )
    assert response.status_code == 302 and response.url.endswith("?tab=handle#actions")
    case.refresh_from_db()
    assert case.state == "accepted"
    assert AuditEvent.objects.filter(object_id=str(case.pk), reason__contains="材料齐全，予以受理").exists()
