"""Accessibility (GB/T 37668-2019, WCAG 2.1 AA): axe-core, pinned in package.json and injected from node_modules, finds
no critical or serious violation of the wcag2a/wcag2aa rules on the platform's main pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _world(users, verified_claim):
    """One record of each kind the main pages show: a patent, a case, a pledge, the 2015 work plan, a course, a call."""
    from ipplatform.finance import pledges
    from ipplatform.patents.models import Applicant, Patent, PatentApplicant
    from ipplatform.programmes import defaults as programme_defaults
    from ipplatform.programmes import services as programme_services
    from ipplatform.protection import services as protection
    from ipplatform.training.models import Course
    from ipplatform.workplan import services as workplan

    org = users["qilu_ent"].organization
    verified_claim(org)
    patent = Patent.objects.create(
        id="201610012345X",
        application_number="201610012345X",
        patent_type="invention",
        title="一种高分子复合材料及其制备方法",
        application_date=dt.date(2016, 5, 4),
        grant_date=dt.date(2019, 8, 20),
        ipc_main="C08L23/06",
        ipc_all=["C08L23/06"],
        claims_count=8,
        inventors=["张三"],
        source="manual",
        region_code="370112",
        city_code="370100",
        legal_status="valid",
    )
    PatentApplicant.objects.create(patent=patent, applicant=Applicant.objects.create(name=org.name), order=1)
    case = protection.create_case(
        case_type="infringement",
        by=users["city370200"],
        received_on=timezone.localdate(),
        title="某公司侵犯“一种空调控制方法”发明专利权纠纷",
        region_code="370211",
        respondent_name="青岛某电器有限公司",
        requester_name="海尔集团公司",
    )
    pledge = pledges.create_pledge(
        by=users["bank"],
        pledgor=org,
        patents=[patent],
        data={
            "contract_number": "QL-ZY-2026-001",
            "contract_date": timezone.localdate() - dt.timedelta(days=3),
            "debt_amount": Decimal("500"),
            "debt_start": timezone.localdate() + dt.timedelta(days=5),
            "debt_end": timezone.localdate() + dt.timedelta(days=365),
            "security_scope": "主债权本金、利息、罚息及实现质权的费用",
        },
    )
    workplan.commit_import(imp=workplan.stage_builtin(user=users["admin"]), by=users["admin"])
    course = Course.objects.create(
        title="专利行政执法实务", summary="模拟数据：测试课程", audience="public", topic="enforcement", published=True
    )
    programmes = programme_defaults.ensure_programmes()
    call = programme_services.create_call(
        by=users["admin"],
        programme=programmes["patent_subsidy"],
        year=2015,
        title="2015年度专利资助",
        opens_on=dt.date(2015, 9, 1),
        closes_on=dt.date(2015, 9, 30),
        budget=Decimal("100000"),
        guide="申报指南",
    )
    application = programme_services.start_application(by=users["qilu_ent"], call=call, on=call.opens_on)
    return {
        "patent": patent,
        "case": case,
        "pledge": pledge,
        "course": course,
        "call": call,
        "application": application,
    }


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    assert result["passes"], "axe ran no rule"
    return [v for v in result["violations"] if v["impact"] in ("critical", "serious")]


@pytest.mark.browser
def test_main_pages_have_no_serious_accessibility_violations(
    transactional_db, live_server, browser, users, verified_claim, login
):
    assert AXE.exists(), "run npm ci: axe-core is pinned in package.json"
    w = _world(users, verified_claim)
    # axe is injected as a script tag: the page's Content-Security-Policy (no inline scripts) is bypassed in the test only
    context = browser.new_context(locale="zh-CN", viewport={"width": 1360, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(30000)
    # the check itself finds what it must: an unnamed select and low-contrast text
    page.set_content(
        '<html lang="zh-CN"><head><title>自检</title></head><body><main><h1>自检</h1><select><option>1</option></select>'
        '<p style="color:#c98a06;background:#fff5db">待办</p></main></body></html>'
    )
    assert {"select-name", "color-contrast"} <= {v["id"] for v in _axe(page)}
    found: dict[str, list[str]] = {}
    checked: list[str] = []

    def check(name: str, url: str) -> None:
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")  # every action's form
        for v in _axe(page):
            targets = "; ".join(str(n["target"]) for n in v["nodes"][:3])
            found.setdefault(name, []).append(f"{v['id']} ({v['impact']}, {len(v['nodes'])}): {targets}")
        checked.append(name)

    def sign_in(username: str) -> None:
        context.clear_cookies()
        login(page, live_server, username)

    check("12330 form", "/protection/intake/")
    check("search", "/search/")
    check("search results", "/search/?q=复合材料")
    check("market", "/market/")
    sign_in("city370200")
    for tab in ("overview", "handle", "evidence", "history", "documents"):
        check(f"case page ({tab})", f"/protection/cases/{w['case'].pk}/?tab={tab}")
    sign_in("bank")
    for tab in ("overview", "handle", "materials", "history"):
        check(f"pledge page ({tab})", f"/finance/pledges/{w['pledge'].pk}/?tab={tab}")
    # the office's review of the same pledge, once the pledgor has confirmed it
    from ipplatform.finance import pledges

    pledges.confirm_pledge(pledge=w["pledge"], by=users["qilu_ent"], co_owner_consent=False, risks_confirmed=True)
    sign_in("xietiao")
    check("pledge review (handle)", f"/finance/pledges/{w['pledge'].pk}/?tab=handle")
    sign_in("qilu_ent")
    for tab in ("content", "files", "handle"):
        check(f"programme application ({tab})", f"/programmes/applications/{w['application'].pk}/?tab={tab}")
    sign_in("admin")
    check("home", "/")
    check("patent page", f"/patents/{w['patent'].pk}/")
    check("work-plan board", "/workplan/board/")
    check("training course", f"/training/courses/{w['course'].pk}/")
    check("programmes call", f"/programmes/calls/{w['call'].pk}/")
    check("work-plan task list", "/workplan/")
    context.close()
    report = "\n".join(f"{name}: " + " | ".join(items) for name, items in found.items())
    assert len(checked) == 4 + 5 + 4 + 1 + 3 + 6
    assert not found, "critical/serious axe violations:\n" + report
