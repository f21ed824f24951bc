"""Patent value assessment: model versions, valuations scored by appraisers, Word reports (stored, versioned)."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ipplatform.core import audit
from ipplatform.core.enums import AuditAction, OrgKind, Role
from ipplatform.core.inputs import InputError, parse_decimal
from ipplatform.core.models import TechField
from ipplatform.lib import charts, worddoc

from . import indicators as ind
from . import value_model as vm
from .enums import Scenario, ValuationState
from .models import Valuation, ValuationItem, ValuationReport, ValueModelVersion
from .services import exclusive_licence, is_patentee, is_reviewer

APPRAISER_ROLES = {Role.FINANCE_USER, Role.DEPARTMENT_STAFF, Role.PROVINCE_ADMIN, Role.EXPERT}


def can_appraise(user) -> bool:
    """Appraisers: valuers, banks, insurers, provincial staff and experts."""
    return getattr(user, "is_authenticated", False) and (user.is_superuser or user.role in APPRAISER_ROLES)


def can_edit_weights(user) -> bool:
    return is_reviewer(user)


def can_score(user, valuation: Valuation) -> bool:
    """The appraiser who opened the valuation scores it and generates its report; reviewers and administrators too."""
    return user.is_superuser or valuation.created_by_id == user.pk or is_reviewer(user)


def current_model(*, scenario: str) -> ValueModelVersion:
    """The current weights for a scenario (the defaults become version 1 when none exist)."""
    if scenario not in Scenario.values:
        raise InputError(f"未知的应用场景“{scenario}”", field="scenario")
    model = ValueModelVersion.objects.filter(scenario=scenario, is_current=True).order_by("-version").first()
    if model is None:
        a, b, g = vm.DEFAULT_GROUP_WEIGHTS[scenario]
        model = ValueModelVersion.objects.create(
            scenario=scenario,
            version=1,
            alpha=Decimal(str(a)),
            beta=Decimal(str(b)),
            gamma=Decimal(str(g)),
            weights=dict(vm.DEFAULT_SUBWEIGHTS),
            note="初始权重（系统默认）",
        )
    return model


@transaction.atomic
def save_model_version(*, scenario: str, alpha, beta, gamma, weights: dict, note: str, by) -> ValueModelVersion:
    """Administrators change the weights: a new version becomes current; earlier valuations keep theirs."""
    if not can_edit_weights(by):
        raise PermissionDenied("只有协调管理处或系统管理员可以修改价值度模型权重")
    # Bounded at the boundary: "NaN" or "1e9" must be a Chinese error, not a failed comparison further on.
    groups = (("alpha", "α", alpha), ("beta", "β", beta), ("gamma", "γ", gamma))
    alpha, beta, gamma = (
        parse_decimal(value, field=name, label=f"权重{symbol}", min_value=0, max_value=1, places=3, rounding=True)
        for name, symbol, value in groups
    )
    labels = {code: f"指标“{indicator.label}”的权重" for code, indicator in vm.BY_CODE.items()}
    weights = {
        code: float(
            parse_decimal(
                value,
                field=f"w_{code}",
                label=labels.get(code, code),
                min_value=0,
                max_value=1,
                places=6,
                rounding=True,
            )
        )
        for code, value in weights.items()
    }
    vm.validate_weights(alpha=alpha, beta=beta, gamma=gamma, weights=weights)
    if not (note or "").strip():
        raise InputError("请填写修订说明", field="note")
    previous = current_model(scenario=scenario)
    audit.update_recorded(
        ValueModelVersion.objects.filter(scenario=scenario, is_current=True),
        by=by,
        reason=f"由第{previous.version + 1}版权重取代：{note.strip()}",
        is_current=False,
    )
    return ValueModelVersion.objects.create(
        scenario=scenario,
        version=previous.version + 1,
        alpha=alpha,
        beta=beta,
        gamma=gamma,
        weights=weights,
        note=note,
        created_by=by,
        is_current=True,
    )


@transaction.atomic
def create_valuation(
    *, by, title: str, scenario: str, patents: list, organization=None, as_of: dt.date | None = None
) -> Valuation:
    """Start a valuation of one patent or a portfolio; data indicators are computed at once."""
    if not can_appraise(by):
        raise PermissionDenied("您的角色不能开展专利价值评估")
    if not patents:
        raise InputError("请至少选择一件专利", field="patents")
    if organization is not None:
        foreign = [p.display_number for p in patents if not is_patentee(organization=organization, patent=p)]
        if foreign:
            raise InputError(
                f"委托单位“{organization.name}”不是以下专利的专利权人：{'、'.join(foreign[:10])}", field="patents"
            )
    as_of = as_of or timezone.localdate()
    valuer = (
        by.organization
        if by.organization
        and by.organization.kind in (OrgKind.VALUER, OrgKind.BANK, OrgKind.INSURER, OrgKind.GUARANTOR)
        else None
    )
    valuation = Valuation.objects.create(
        title=(title or "").strip()
        or (f"{patents[0].title}等{len(patents)}件专利" if len(patents) > 1 else patents[0].title)[:200],
        scenario=scenario,
        model_version=current_model(scenario=scenario),
        organization=organization,
        valuer_org=valuer,
        region_code=organization.region_code if organization else "",
        as_of=as_of,
        created_by=by,
    )
    data = ind.indicators_for([p.pk for p in patents], as_of=as_of)
    for p in patents:
        ValuationItem.objects.create(valuation=valuation, patent=p, indicators=data.get(p.pk, {}))
    _aggregate(valuation)
    return valuation


def suggested_scores(item: ValuationItem) -> dict[str, int]:
    """Scores the data supports directly (remaining term, licensing status, multi-country filing), as a starting point."""
    values = (item.indicators or {}).get("values", {})
    out = {}
    rem = values.get("remaining_term")
    if rem is not None:
        long_term = item.patent.patent_type == "invention"
        steps = (
            [(15, 10), (10, 8), (6, 6), (3, 4), (0.01, 2)]
            if long_term
            else [(8, 10), (6, 8), (4, 6), (2, 4), (0.01, 2)]
        )
        out["remaining_term"] = next((s for limit, s in steps if rem >= limit), 0)
    exclusive = exclusive_licence(patent_id=item.patent_id, on=item.valuation.as_of)
    if exclusive is not None:
        out["licensing"] = 4 if exclusive else 10
    fam = values.get("family_size")
    if fam is not None:
        out["multi_country"] = 10 if fam >= 6 else 8 if fam >= 3 else 4 if fam == 2 else 0
    return out


@transaction.atomic
def score_item(*, item: ValuationItem, by, scores: dict, comments: dict | None = None) -> ValuationItem:
    """Save the appraiser's scores for one patent and compute LVD, TVD, EVD and PVD with the valuation's model version."""
    valuation = item.valuation
    if not can_score(by, valuation):
        raise PermissionDenied("只有本次评估的评估人可以评分")
    clean = vm.validate_scores(scores)
    m = valuation.model_version
    result = vm.compute(scores=clean, alpha=m.alpha, beta=m.beta, gamma=m.gamma, weights=m.weights)
    item.scores, item.comments = clean, {k: v for k, v in (comments or {}).items() if v}
    item.lvd, item.tvd, item.evd, item.pvd = result["lvd"], result["tvd"], result["evd"], result["pvd"]
    item.save()
    _aggregate(valuation)
    return item


def _aggregate(valuation: Valuation) -> None:
    items = list(valuation.items.all())
    scored = [i for i in items if i.pvd is not None]
    comps = [i.indicators.get("composite") for i in items if (i.indicators or {}).get("composite") is not None]
    valuation.composite_index = round(sum(comps) / len(comps), 4) if comps else None
    if scored and len(scored) == len(items):
        n = Decimal(len(scored))
        for key in ("lvd", "tvd", "evd", "pvd"):
            setattr(valuation, key, (sum(getattr(i, key) for i in scored) / n).quantize(Decimal("0.01"), ROUND_HALF_UP))
        valuation.state = ValuationState.COMPLETED
    else:
        valuation.lvd = valuation.tvd = valuation.evd = valuation.pvd = None
        valuation.state = ValuationState.DRAFT
    valuation.save()


# ---------------------------------------------------------------- Word report


def _fmt(v, digits=2):
    return "—" if v is None else (f"{v:.{digits}f}" if isinstance(v, float) else str(v))


def build_report(valuation: Valuation) -> bytes:
    """The valuation report as a Word document."""
    m = valuation.model_version
    items = list(valuation.items.select_related("patent"))
    fields = dict(TechField.objects.values_list("number", "name_zh"))
    doc = worddoc.new_document("专利价值度评估报告", subtitle=f"{valuation.title}（评估#{valuation.pk}）")
    if any(i.patent.is_synthetic for i in items):
        doc.add_paragraph(worddoc.SYNTHETIC_NOTICE)
    worddoc.add_table(
        doc,
        ["项目", "内容"],
        [
            ["委托单位", valuation.organization.name if valuation.organization else "—"],
            ["评估机构", valuation.valuer_org.name if valuation.valuer_org else "—"],
            ["评估人", valuation.created_by.display_name if valuation.created_by else "—"],
            ["应用场景", valuation.get_scenario_display()],
            ["评估基准日", valuation.as_of],
            ["专利件数", len(items)],
            ["模型", f"PVD = α·LVD + β·TVD + γ·EVD；{m}：α={m.alpha}，β={m.beta}，γ={m.gamma}"],
            ["专利价值度（PVD）", f"{_fmt(valuation.pvd)}（满分10，{vm.grade(valuation.pvd)}）"],
            ["法律 / 技术 / 经济价值度", f"{_fmt(valuation.lvd)} / {_fmt(valuation.tvd)} / {_fmt(valuation.evd)}"],
            ["数据指标综合指数", _fmt(valuation.composite_index, 4)],
        ],
        caption="一、评估概况",
    )
    doc.add_paragraph("")
    worddoc.add_table(
        doc,
        ["申请号", "名称", "类型", "申请日", "LVD", "TVD", "EVD", "PVD", "评级", "综合指数"],
        [
            [
                i.patent.display_number,
                i.patent.title,
                i.patent.get_patent_type_display(),
                i.patent.application_date,
                _fmt(i.lvd),
                _fmt(i.tvd),
                _fmt(i.evd),
                _fmt(i.pvd),
                vm.grade(i.pvd),
                _fmt((i.indicators or {}).get("composite"), 4),
            ]
            for i in items
        ],
        caption="二、各专利评估结果",
    )
    if len(items) > 1 and all(i.pvd is not None for i in items):
        png = charts.bar_chart(
            "各专利价值度（PVD）", [i.patent.display_number for i in items], [float(i.pvd) for i in items], ylabel="PVD"
        )
        worddoc.add_image(doc, png, caption="图1 组合内各专利价值度")
    for n, i in enumerate(items, start=1):
        doc.add_heading(f"三.{n} {i.patent.display_number} {i.patent.title}", level=2)
        rows = []
        for indicator in vm.INDICATORS:
            score = (i.scores or {}).get(indicator.code)
            rows.append(
                [
                    {"legal": "法律", "technical": "技术", "economic": "经济"}[indicator.group],
                    indicator.label,
                    m.weights.get(indicator.code),
                    "—" if score is None else score,
                    indicator.guidance.get(score, "") if score is not None else "",
                    (i.comments or {}).get(indicator.code, ""),
                ]
            )
        worddoc.add_table(
            doc, ["维度", "指标", "组内权重", "评分", "评分标准", "评估人说明"], rows, caption="评估人评分"
        )
        data = i.indicators or {}
        field = fields.get(data.get("field"), "未能确定技术领域")
        doc.add_paragraph(
            f"对比队列：{field}，{data.get('year') or '申请年不详'}年申请，共{data.get('cohort_size', 0)}件。"
        )
        worddoc.add_table(
            doc,
            ["数据指标", "数值", "队列最大值", "归一化值"],
            [
                [
                    f"{label}（{unit}）",
                    _fmt(data.get("values", {}).get(code)),
                    _fmt(data.get("maxima", {}).get(code)),
                    _fmt(data.get("normalised", {}).get(code), 4),
                ]
                for code, label, unit, _ in ind.INDICATORS
            ],
            caption="数据指标（由专利著录和法律状态数据计算）",
        )
    doc.add_heading("四、说明", level=2)
    worddoc.add_paragraphs(
        doc,
        "\n".join(
            [
                "1. 专利价值度按国家知识产权局《专利价值分析指标体系》思路，由法律、技术、经济三个维度共18项指标构成，"
                "每项0-10分，由评估人依据评分标准逐项评分。",
                f"2. {ind.COMPOSITE_NOTE}",
                "3. 本报告由平台生成，每次生成保存为新版本，历史版本可追溯。",
            ]
        ),
    )
    return worddoc.to_bytes(doc)


@transaction.atomic
def generate_report(*, valuation: Valuation, by) -> ValuationReport:
    """Generate and store a new version of the Word report."""
    if valuation.pvd is None:
        raise InputError("评估尚未完成：请先为全部专利评分", field="scores")
    data = build_report(valuation)
    version = (valuation.reports.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    report = ValuationReport.objects.create(
        valuation=valuation,
        version=version,
        filename=f"valuation-{valuation.pk}-v{version}.docx",
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
        pvd=valuation.pvd,
        created_by=by,
    )
    audit.record(
        AuditAction.EXPORT, obj=valuation, actor=by, reason=f"生成价值评估报告第{version}版 sha256={report.sha256[:16]}"
    )
    return report
