"""The one expert pool: candidates by IPC and industry with conflicts of interest excluded, protection using it, and the
migration of protection's former pool."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.core.exceptions import PermissionDenied

from ipplatform.core.inputs import InputError
from ipplatform.experts import services
from ipplatform.experts.models import Expert


@pytest.fixture
def pool(users, orgs):
    leader = users["leader"]
    a = services.save_expert(
        by=leader,
        data={
            "name": "甲教授（演示）",
            "ipc_codes": "H01M;C08L",
            "industries": "C",
            "employer": orgs["sdu"],
            "uses": ["protection", "reviews"],
        },
    )
    b = services.save_expert(
        by=leader,
        data={
            "name": "乙研究员（演示）",
            "ipc_codes": "H01M10/05",
            "industries": "C;M",
            "employer": orgs["institute"],
            "uses": ["navigation"],
        },
    )
    c = services.save_expert(
        by=leader,
        data={
            "name": "丙高工（演示）",
            "ipc_codes": "F25D",
            "industries": "C",
            "employer_name": "某家电研究院",
            "uses": ["awards"],
        },
    )
    return a, b, c


def test_candidates_by_ipc_industry_and_use(pool):
    a, b, c = pool
    assert {e.name for e in services.candidates(ipc="H01M")} == {a.name, b.name}  # H01M covers H01M10/05
    assert {e.name for e in services.candidates(ipc="H01M10/05")} == {
        a.name,
        b.name,
    }  # and H01M covers H01M10/05 from above
    assert [e.name for e in services.candidates(industry="M")] == [b.name]
    assert [e.name for e in services.candidates(industry="C", use="awards")] == [c.name]
    with pytest.raises(InputError, match="门类"):
        services.candidates(industry="Z")


def test_conflicts_of_interest_exclude_experts(pool, users, orgs):
    a, b, c = pool
    services.add_conflict(
        by=users["leader"],
        expert=c,
        organization=orgs["haier"],
        kind="agency",
        note="为海尔提供专利咨询",
        since=dt.date(2024, 1, 1),
    )
    services.add_conflict(
        by=users["leader"], expert=b, organization=orgs["haier"], kind="former", until=dt.date(2025, 12, 31)
    )
    names = lambda **kw: {e.name for e in services.candidates(industry="C", **kw)}  # noqa: E731
    assert names(exclude_orgs=[orgs["haier"]], on=dt.date(2026, 3, 1)) == {a.name, b.name}  # b's conflict ended
    assert names(exclude_orgs=[orgs["haier"]], on=dt.date(2025, 3, 1)) == {a.name}
    assert names(exclude_orgs=[orgs["sdu"].pk]) == {b.name, c.name}  # a works at 山东大学
    assert services.conflicts_with(expert=c, orgs=[orgs["haier"]]) == [
        f"专家丙高工（演示）与“{orgs['haier'].name}”存在利益冲突（代理或顾问关系：为海尔提供专利咨询）"
    ]
    with pytest.raises(PermissionDenied):
        services.add_conflict(by=users["haier"], expert=c, organization=orgs["sdu"], kind="other")
    with pytest.raises(InputError, match="截止日期早于"):
        services.add_conflict(
            by=users["leader"],
            expert=c,
            organization=orgs["sdu"],
            kind="other",
            since=dt.date(2025, 1, 2),
            until=dt.date(2025, 1, 1),
        )


def test_expert_fields_validated(users):
    with pytest.raises(InputError, match="IPC分类号格式不正确：X99"):
        services.save_expert(by=users["leader"], data={"name": "丁", "ipc_codes": "H01M;X99"})
    with pytest.raises(PermissionDenied):
        services.save_expert(by=users["city370200"], data={"name": "丁"})


def test_protection_uses_the_pool_and_its_conflicts(users, orgs, settings, tmp_path):
    from ipplatform.protection import services as ps
    from ipplatform.protection.models import Case

    settings.DATA_DIR = tmp_path
    expert_user = users["expert"]
    assert ps.ensure_expert_profiles() == 1 and ps.ensure_expert_profiles() == 0
    entry = Expert.objects.get(user=expert_user)
    assert (entry.ipc_codes, entry.keywords, entry.uses) == ("H01M;C08L", "机械", ["protection"])
    assert [e.user for e in ps.experts(field="H01M")] == [expert_user]
    case = ps.create_case(
        case_type="infringement",
        title="演示案件",
        by=users["city370200"],
        region_code="370211",
        requester_name="某公司",
        received_on=dt.date(2026, 3, 2),
    )
    Case.objects.filter(pk=case.pk).update(respondent_org=orgs["haier"])
    case.refresh_from_db()
    services.add_conflict(
        by=users["leader"], expert=entry, organization=orgs["haier"], kind="investment", note="持有股份"
    )
    with pytest.raises(InputError, match="持有股份.*应当回避"):
        ps.request_consultation(case=case, by=users["city370200"], expert=expert_user, question="是否落入保护范围？")
    entry.conflicts.all().delete()
    assert (
        ps.request_consultation(
            case=case, by=users["city370200"], expert=expert_user, question="是否落入保护范围？"
        ).expert
        == expert_user
    )


def test_migration_splits_protection_fields():
    mig = importlib.import_module("ipplatform.experts.migrations.0002_from_protection_expert_profiles")
    assert mig.split("H01M;C08L；机械;制造业;h04n5/00") == (["H01M", "C08L", "H04N5/00"], ["C"], ["机械"])
