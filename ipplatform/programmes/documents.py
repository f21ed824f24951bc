"""Formal documents of the programmes as Word files (lib.worddoc)."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from ipplatform.lib import worddoc

from .models import Application


def certificate_docx(app: Application) -> bytes:
    """The award certificate: holder, programme, level, number, date of the decision."""
    call = app.call
    doc = worddoc.new_document(f"{call.programme.name}证书", subtitle=f"证书编号：{app.certificate_no}")
    for text, size in (
        (app.organization.name, 18),
        (f"“{app.title}”", 14),
        (f"荣获{call.year}年度{call.programme.name}{app.level}", 20),
    ):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.font.size, run.bold = Pt(size), True
    worddoc.add_table(
        doc,
        ["项目", "内容"],
        [
            ["参评专利", app.data.get("patent_number") or "—"],
            ["评审得分", app.score if app.score is not None else "—"],
            ["奖励等级", app.level],
            ["颁发单位", "山东省知识产权局"],
        ],
    )
    doc.add_paragraph("")
    end = doc.add_paragraph(f"山东省知识产权局\n{worddoc.cn_date(call.notice_end) if call.notice_end else ''}")
    end.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if call.is_demo:
        doc.add_paragraph("演示数据：本证书由演示环境生成，不具有法律效力。")
    return worddoc.to_bytes(doc)


def decision_docx(call) -> bytes:
    """The decision document of a call (授奖决定 / 资助决定): every approved application with its level or amount."""
    from .enums import AppStatus

    kind = call.programme.decision.get("kind")
    award = kind == "award"
    if kind == "recognition":
        return _recognition_docx(call)
    title = f"关于{call.year}年度{call.programme.name}{'授奖' if award else '资助'}的决定"
    doc = worddoc.new_document(title, subtitle="山东省知识产权局", formal=True)
    approved = list(
        call.applications.filter(status__in=[AppStatus.APPROVED, AppStatus.PAID])
        .select_related("organization")
        .order_by("rank", "pk")
    )
    intro = (
        f"根据《{call.title}》申报指南，经属地{'推荐' if award else '初审'}、形式审查"
        + ("、专家评审和公示" if award else "")
        + f"，决定{'授予以下项目' + call.programme.name if award else '对以下单位给予专利资助'}（共{len(approved)}项）。"
    )
    worddoc.add_paragraphs(doc, intro)
    if award:
        rows = [[i, a.level, a.organization.name, a.title, a.certificate_no] for i, a in enumerate(approved, 1)]
        worddoc.add_table(doc, ["序号", "奖励等级", "单位", "项目名称", "证书编号"], rows)
    else:
        rows = [[i, a.organization.name, a.title, a.amount] for i, a in enumerate(approved, 1)]
        total = sum((a.amount or 0) for a in approved)
        worddoc.add_table(doc, ["序号", "单位", "项目名称", "资助金额（元）"], rows + [["合计", "", "", total]])
    end = doc.add_paragraph("山东省知识产权局")
    end.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if call.is_demo:
        doc.add_paragraph("演示数据：本文件由演示环境生成，不具有法律效力。")
    return worddoc.to_bytes(doc)


def _recognition_docx(call) -> bytes:
    """The decision of a recognition scheme (认定 / 验收 / 推荐 / 考核): each approved application with its outcome."""
    from .enums import AppStatus

    cfg = call.programme.decision
    outcome = "考核结论" if cfg.get("levels") else cfg.get("outcome", "认定")
    doc = worddoc.new_document(
        f"关于{call.year}年度{call.programme.name}结果的通知", subtitle="山东省知识产权局", formal=True
    )
    approved = list(
        call.applications.filter(status__in=[AppStatus.APPROVED, AppStatus.PAID])
        .select_related("organization")
        .order_by("rank", "pk")
    )
    status = cfg.get("org_status")
    intro = f"根据《{call.title}》申报指南，经审查" + ("、专家评审" if call.programme.stage("review") else "")
    intro += ("和公示" if call.notice_start else "") + f"，以下{len(approved)}个单位的{outcome}如下"
    intro += f"，授予“{status['label']}”称号，有效期{status['years']}年。" if status else "。"
    worddoc.add_paragraphs(doc, intro)
    rows = [[i, a.organization.name, a.title, a.level, a.certificate_no or "—"] for i, a in enumerate(approved, 1)]
    worddoc.add_table(doc, ["序号", "单位", "项目名称", outcome, "证书编号"], rows)
    _sign(doc, call)
    return worddoc.to_bytes(doc)


def _sign(doc, call, on=None) -> None:
    """The issuing body and the date of issue (成文日期): `on`, else the end of the 公示 or of the call."""
    end = doc.add_paragraph(f"山东省知识产权局\n{worddoc.cn_date(on or call.notice_end or call.closes_on)}")
    end.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if call.is_demo:
        doc.add_paragraph("演示数据：本文件由演示环境生成，不具有法律效力。")


def notice_docx(call, rows) -> bytes:
    """The 公示 notice (公示名单): the applications shown, the period in working days and how to object."""
    kind = call.programme.decision.get("kind")
    doc = worddoc.new_document(f"关于{call.year}年度{call.programme.name}拟{_verb(kind)}名单的公示", formal=True)
    worddoc.add_paragraphs(
        doc,
        f"根据《{call.title}》申报指南，经审查"
        + ("和专家评审" if call.programme.stage("review") else "")
        + f"，现将{len(rows)}个拟{_verb(kind)}项目予以公示。公示期为{worddoc.cn_date(call.notice_start)}至{worddoc.cn_date(call.notice_end)}"
        f"（{call.programme.notice_days}个工作日）。\n"
        "对公示项目有异议的，请在公示期内以实名书面形式向山东省知识产权局提出，并附联系方式和必要的证据材料；"
        "匿名异议不予受理。",
    )
    third = "拟授奖等级" if kind == "award" else ("拟资助金额（元）" if kind == "funding" else "评审得分")
    body = []
    for i, a in enumerate(rows, 1):
        value = a.level if kind == "award" else (a.amount if kind == "funding" else a.score)
        body.append([i, a.organization.name, a.title, "" if value is None else value])
    worddoc.add_table(doc, ["序号", "单位", "项目名称", third], body)
    _sign(doc, call, on=call.notice_start)  # a notice is dated the day it is published
    return worddoc.to_bytes(doc)


def _verb(kind: str) -> str:
    return {"award": "授奖", "funding": "支持"}.get(kind, "认定")
