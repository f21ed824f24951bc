"""Expert suggestion for a case: meaning of the case vs each pool expert's fields (IPC titles in words, industries,
keywords) plus IPC, registered conflicts with the parties excluded, with reasons."""

import pytest

from ipplatform.core.enums import Role
from ipplatform.experts.models import Expert
from ipplatform.protection import expert_match, services


@pytest.fixture
def pool(db, users, settings, ipc_data):
    from django.contrib.auth import get_user_model

    settings.SEMANTIC_EMBEDDER = "hash"
    expert_match._profile_vectors.clear()
    services.ensure_expert_profiles()  # the demo expert: H01M;C08L;机械
    food = get_user_model().objects.create_user(
        username="expert_food", password="x", role=Role.EXPERT, first_name="食品专家"
    )
    Expert.objects.create(
        user=food,
        name="食品专家",
        title="研究员",
        employer_name="山东省食品研究所",
        ipc_codes="A23L",
        industries="C",
        keywords="益生菌制剂;食品加工",
        uses=["protection"],
    )
    # in the pool but not for protection matters, and in the pool without an account: never suggested for a case
    nav = get_user_model().objects.create_user(
        username="expert_nav", password="x", role=Role.EXPERT, first_name="导航专家"
    )
    Expert.objects.create(user=nav, name="导航专家", ipc_codes="H01M", keywords="锂离子电池", uses=["navigation"])
    Expert.objects.create(name="无账号专家", ipc_codes="H01M", keywords="电池电极")
    return {"battery": users["expert"], "food": food, "nav": nav}


def test_case_about_batteries_suggests_the_battery_expert_with_reasons(pool, make_case):
    case = make_case(
        title="某公司侵犯“一种锂离子电池电极”发明专利权纠纷", summary="被控产品为动力电池的电极片，涉嫌落入权利要求1"
    )
    found = expert_match.suggest_for_case(case=case)
    assert [s.candidate.user for s in found] == [pool["battery"], pool["food"]]
    best = found[0]
    assert best.similarity is not None and best.reasons[0].startswith("技术领域与案情语义相近：相似度")
    assert "电池" in expert_match.profile_text(best.candidate)  # H01M spelled out from the IPC table


def test_ipc_of_the_case_patent_counts_and_is_explained(pool):
    found = expert_match.suggest_experts(text="片剂包衣工艺", ipc_codes=["A23L33/135"])
    top = found[0]
    assert top.candidate.user == pool["food"] and top.ipc_score > 0
    assert any(r.startswith("分类号") and "A23L" in r for r in top.reasons)


def test_candidates_come_from_the_pool_with_fields_in_words(pool):
    by_user = {c.user: c for c in expert_match.expert_candidates()}
    assert set(by_user) == {pool["battery"], pool["food"]}
    food = by_user[pool["food"]]
    assert food.fields == ["A23L", "C 制造业", "益生菌制剂", "食品加工"] and food.label == "食品专家（研究员）"
    assert food.employer == "山东省食品研究所"
    words = expert_match.profile_text(food)
    assert words.startswith("未另行规定的食品") and words.endswith(
        "C 制造业；益生菌制剂；食品加工"
    )  # A23L spelled out from the IPC table


def test_registered_conflict_with_a_party_excludes_the_expert(pool, make_case, users, orgs):
    from ipplatform.experts import services as pool_services
    from ipplatform.protection.models import Case

    case = make_case(title="益生菌食品加工工艺专利纠纷", summary="被控产品为益生菌制剂")
    assert expert_match.suggest_for_case(case=case)[0].candidate.user == pool["food"]
    Case.objects.filter(pk=case.pk).update(respondent_org=orgs["haier"])
    pool_services.add_conflict(
        by=users["leader"], expert=Expert.objects.get(user=pool["food"]), organization=orgs["haier"], kind="agency"
    )
    case.refresh_from_db()
    assert pool["food"] not in [s.candidate.user for s in expert_match.suggest_for_case(case=case)]
    assert pool["food"] in [
        s.candidate.user for s in expert_match.suggest_experts(text="益生菌制剂", ipc_codes=["A23L"])
    ]


def test_declared_conflict_puts_the_expert_last_and_says_why(pool, make_case):
    from ipplatform.protection.models import ConflictDeclaration

    case = make_case(title="锂离子电池电极专利纠纷", summary="动力电池电极")
    ConflictDeclaration.objects.create(
        expert=pool["battery"], case=case, has_conflict=True, statement="曾为被请求人提供咨询"
    )
    found = expert_match.suggest_for_case(case=case)
    assert found[-1].candidate.user == pool["battery"] and found[-1].score == 0
    assert "应当回避" in found[-1].reasons[-1]


def test_case_page_shows_suggestions_to_case_workers(pool, make_case, client, users):
    case = make_case(title="某公司侵犯“一种锂离子电池电极”发明专利权纠纷")
    client.force_login(users["city370200"])
    html = client.get(f"/protection/cases/{case.pk}/").content.decode()
    assert 'id="expert-suggestions"' in html and "技术领域与案情语义相近" in html
