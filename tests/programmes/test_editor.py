"""The guided editor of programme types: every section round-trips, bad rows are refused with the row and field
named, only the provincial office may edit, changes are audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import QueryDict

from ipplatform.core.inputs import InputError
from ipplatform.core.models import AuditEvent
from ipplatform.programmes import typeconfig


def post_of(programme, **overrides) -> QueryDict:
    """The editor form of a programme as the page posts it (one input per row and column)."""
    q = QueryDict(mutable=True)
    q.update({"name": programme.name, "description": programme.description, "notice_days": str(programme.notice_days)})
    if programme.is_active:
        q["is_active"] = "1"
    for f in programme.form_fields:
        for key in ("name", "label", "type", "min", "max", "max_length", "computed"):
            q.appendlist(f"field-{key}", str(f.get(key, "")))
        q.appendlist("field-required", "1" if f.get("required") else "0")
        q.appendlist("field-choices", "｜".join(f.get("choices", [])))
    for a in programme.attachments:
        q.appendlist("att-code", a["code"])
        q.appendlist("att-label", a["label"])
        q.appendlist("att-required", "1" if a.get("required") else "0")
        q.appendlist("att-exts", "、".join(a.get("exts", [])))
    for r in programme.eligibility:
        q.appendlist("rule-rule", r["rule"])
        params = []
        for k, v in r.items():
            if k != "rule":
                params.append(f"{k}={'、'.join(v) if isinstance(v, list) else ('是' if v is True else v)}")
        q.appendlist("rule-params", "；".join(params))
    for s in programme.stages:
        for key in ("code", "label", "actor"):
            q.appendlist(f"stage-{key}", s[key])
        q.appendlist("stage-notice", "1" if s.get("notice") else "0")
    review = programme.review
    for c in review.get("criteria", []):
        for key in ("code", "label", "weight", "min", "max"):
            q.appendlist(f"crit-{key}", str(c[key]))
    q.update({"experts": str(review.get("experts", "")), "trim": str(review.get("trim", 0))})
    q.update({"dispersion": str(review.get("dispersion", "")), "expert_use": review.get("expert_use", "")})
    if review.get("blind"):
        q["blind"] = "1"
    d = programme.decision
    q.update({"decision_kind": d["kind"], "levels": "、".join(d.get("levels", [])), "outcome": d.get("outcome", "")})
    q.update(
        {
            "amount": d.get("amount", ""),
            "amount_field": d.get("amount_field", ""),
            "max_amount": d.get("max_amount", ""),
        }
    )
    q.update({"cert_prefix": d.get("cert_prefix", ""), "certificate": "1" if d.get("certificate") else ""})
    if d.get("org_status"):
        q.update({"status_label": d["org_status"]["label"], "status_years": str(d["org_status"]["years"])})
    for key, value in overrides.items():
        q.setlist(key, value if isinstance(value, list) else [value])
    return q


@pytest.mark.parametrize("code", ["patent_award", "star_enterprise", "rights_fund", "pilot_assessment"])
def test_every_section_round_trips(programmes, users, code):
    programme = programmes[code]
    before = {
        k: getattr(programme, k) for k in ("form_fields", "attachments", "eligibility", "stages", "review", "decision")
    }
    typeconfig.save(programme=programme, by=users["guihua"], post=post_of(programme))
    programme.refresh_from_db()
    after = {k: getattr(programme, k) for k in before}
    assert after["form_fields"] == before["form_fields"]
    assert after["eligibility"] == before["eligibility"] and after["stages"] == before["stages"]
    assert after["review"].get("criteria") == before["review"].get("criteria")
    assert after["decision"] == before["decision"]
    assert after["attachments"] == before["attachments"]


def test_edits_are_saved_and_audited(programmes, users):
    programme = programmes["patent_award"]
    weights = [str(c["weight"]) for c in programme.review["criteria"]]
    weights[0], weights[2] = "40", "20"
    post = post_of(programme, **{"crit-weight": weights, "name": "山东省专利奖（修订）"})
    typeconfig.save(programme=programme, by=users["guihua"], post=post)
    programme.refresh_from_db()
    assert programme.name == "山东省专利奖（修订）" and programme.review["criteria"][0]["weight"] == 40
    event = AuditEvent.objects.filter(object_type__icontains="programmetype", reason="项目类型编辑器").latest("pk")
    assert event.actor_id == users["guihua"].pk


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"crit-weight": ["30", "20", "30", "10", "5"]}, "评审指标的权重合计应为100，现为95"),
        ({"crit-max": ["30", "20", "0", "10", "10"]}, "评审指标第3行：分值范围应为 0 ≤ 最低分 < 最高分"),
        (
            {"field-type": ["text", "textarea", "decimal", "radio", "textarea", "text", "text"]},
            "申报表字段第4行：请选择字段类型",
        ),
        (
            {"field-min": ["", "", "100", "", "", "", ""], "field-max": ["", "", "10", "", "", "", ""]},
            "申报表字段第3行：最小值100大于最大值10",
        ),
        (
            {"stage-code": ["city_check", "formal_check", "experts", "notice", "decision", "certificate"]},
            "办理环节第3行：专家评审环节的代码应为 review",
        ),
        (
            {"rule-params": ["kinds=enterprise", "prefix=37", "", "min=1；colour=red", "years=2"]},
            "申报条件第4行：规则“持有专利”没有参数“colour”",
        ),
        ({"att-exts": ["pdf、*.exe"]}, "附件要求第1行：文件类型应写成"),
        ({"levels": ""}, "奖励类项目须列出奖励等级"),
        ({"experts": "2", "trim": "1"}, "去掉最高、最低分各1个后须至少剩1个分数"),
    ],
)
def test_bad_rows_are_refused_with_where(programmes, users, overrides, message):
    programme = programmes["patent_award"]
    with pytest.raises(InputError, match=message):
        typeconfig.save(programme=programme, by=users["guihua"], post=post_of(programme, **overrides))
    programme.refresh_from_db()
    assert programme.name == "山东省专利奖"


def test_only_the_office_edits(programmes, users, client):
    programme = programmes["patent_award"]
    with pytest.raises(PermissionDenied):
        typeconfig.save(programme=programme, by=users["city370100"], post=post_of(programme))
    client.force_login(users["city370100"])
    assert client.get(f"/programmes/types/{programme.pk}/edit/").status_code == 403
    client.force_login(users["guihua"])
    page = client.get(f"/programmes/types/{programme.pk}/edit/")
    assert page.status_code == 200 and "技术先进性" in page.content.decode()
    bad = client.post(
        f"/programmes/types/{programme.pk}/edit/", dict(post_of(programme, **{"crit-weight": ["1"] * 5}).lists())
    )
    assert bad.status_code == 400 and "评审指标的权重合计应为100，现为5" in bad.content.decode()
    assert 'value="1"' in bad.content.decode()  # the rows as typed are shown again


def test_the_type_list_names_each_decision_in_chinese(programmes, users, client):
    client.force_login(users["guihua"])
    table = client.get("/programmes/types/").content.decode()
    table = table[table.index('id="types"') :]
    row = table[table.index("patent_award") :].split("</tr>")[0]
    assert "奖励（按名额评定等级）" in row and ">award<" not in row
