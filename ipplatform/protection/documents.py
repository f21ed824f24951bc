"""Standard enforcement documents generated as Word files from editable templates with {占位符}."""

from __future__ import annotations

from django.utils import timezone

from ipplatform.core import audit
from ipplatform.core.enums import AuditAction, OrgKind
from ipplatform.core.inputs import InputError
from ipplatform.core.models import Organization
from ipplatform.lib import worddoc

from . import law
from .access import require_case_worker
from .defaults import PLACEHOLDER_PATTERN, unknown_placeholders
from .models import Case, DocumentTemplate


def _d(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else "____年__月__日"


def context_for(case: Case) -> dict[str, str]:
    """Placeholder values of a case; the requester stays anonymous when the reporter's identity is protected."""
    police = Organization.objects.filter(kind=OrgKind.PARTNER_AGENCY, name__contains="公安").first()
    hearing = timezone.localtime(case.hearing_at) if case.hearing_at else None
    return {
        "案号": case.case_no,
        "案由": case.title,
        "案件类型": case.get_case_type_display(),
        "请求人": law.CONFIDENTIAL_LABEL if case.reporter_confidential else (case.requester_name or "—"),
        "被请求人": case.respondent_name or "—",
        "被请求人住所": case.respondent_address or "—",
        "专利号": case.patent_no or "—",
        "收到日期": _d(case.received_on),
        "受理日期": _d(case.accepted_on),
        "决定日期": _d(case.decided_on),
        "口审日期": f"{_d(hearing.date())}{hearing:%H:%M}" if hearing else "____年__月__日",
        "处理结果": case.get_outcome_display() if case.outcome else "（待定）",
        "结果说明": case.outcome_note or "",
        "罚款金额": f"{case.penalty_amount}" if case.penalty_amount is not None else "—",
        "案情摘要": case.summary or "—",
        "承办单位": case.handling_org.name,
        "承办人": case.handler.display_name if case.handler else "—",
        "公安机关": police.name if police else "公安机关",
        "今天": _d(timezone.localdate()),
        "听证情况": _hearing_text(case),
        "电商平台": case.platform or "电子商务",
    }


def _hearing_text(case: Case) -> str:
    """What the party was told and how it was heard (行政处罚法 arts 44, 45, 64, 65)."""
    told = (
        f"本机关于{_d(case.pre_decision_on)}告知当事人拟作出的行政处罚内容及事实、理由、依据和陈述、申辩、要求听证的权利。"
        if case.pre_decision_on
        else ""
    )
    if case.hearing_held_on:
        return told + f"当事人要求听证，本机关于{_d(case.hearing_held_on)}举行听证并制作笔录，本决定根据听证笔录作出。"
    if case.waiver_on:
        return told + f"当事人于{_d(case.waiver_on)}书面放弃陈述、申辩和听证权利（{case.waiver_note}）。"
    return told + "当事人在规定期限内未提出陈述、申辩和听证要求。" if told else "—"


def render(body: str, context: dict[str, str]) -> str:
    return PLACEHOLDER_PATTERN.sub(lambda m: context.get(m.group(1), m.group(0)), body)


def generate(*, case: Case, template: DocumentTemplate, by) -> tuple[str, bytes]:
    """(file name, .docx bytes) of a standard document for a case; the export is recorded in the audit trail."""
    require_case_worker(by, case)
    if not template.applies_to(case.case_type):
        raise InputError(f"“{template.name}”不适用于{case.get_case_type_display()}", field="template")
    bad = unknown_placeholders(template.body)
    if bad:
        raise InputError(f"文书模板“{template.name}”含未知占位符：{'、'.join(bad)}，请在后台修改模板", field="template")
    text = render(template.body, context_for(case))
    doc = worddoc.new_document(f"{case.handling_org.name}\n{template.name}", subtitle=case.case_no, formal=True)
    worddoc.add_paragraphs(doc, text)
    audit.record(AuditAction.EXPORT, obj=case, actor=by, reason=f"生成文书：{template.name}")
    return f"{case.case_no}-{template.name}.docx", worddoc.to_bytes(doc)
