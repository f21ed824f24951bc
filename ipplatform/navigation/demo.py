"""Demo data for 专利导航: the preset 专题库 (refreshed on the loaded records), a user 专题库 and a sample report."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from . import services
from .models import Report


def load(*, stdout, options) -> None:
    """Idempotent: presets are created once (kept as edited), refreshed on the current data."""
    dbs = services.ensure_presets()
    for db in dbs:
        try:
            services.update_membership(db_id=db.pk)
        except services.InputError as exc:  # e.g. the search index is not available yet
            stdout.write(f"  专题库“{db.name}”未能更新：{exc.message}")
    stdout.write(
        f"专利导航：预置专题库{len(dbs)}个（"
        + "、".join(f"{d.name}{d.__class__.objects.get(pk=d.pk).member_count}件" for d in dbs[:3])
        + "等）"
    )
    analyst = get_user_model().objects.filter(username="xinxi").first()
    energy = next((d for d in dbs if d.preset_key == "energy"), None)
    title = "山东省新能源产业专利导航分析报告（演示）"
    existing = Report.objects.filter(title=title).first()
    if existing is not None and existing.status != "ready":
        services.build_report(report_id=existing.pk)
    elif analyst and energy and existing is None:
        energy.refresh_from_db()
        if energy.member_count:
            report = services.create_report(
                user=analyst,
                kind="db",
                value=str(energy.pk),
                title=title,
                keys=[
                    "trend",
                    "lifecycle",
                    "ipc_subclass",
                    "applicants",
                    "coapplicant_network",
                    "regions",
                    "shandong_cities",
                    "effect_matrix",
                    "key_patents",
                ],
                introduction="围绕新能源产业开展专利分析，为产业转型升级与招商引智提供参考。",
                commentary={
                    "trend": "申请量总体呈增长态势，授权量随审查周期滞后。",
                    "regions": "山东省在本领域的显示性技术优势见RTA一列。",
                },
                conclusion="建议围绕技术空白点布局高价值专利，加强产学研合作。",
            )
            services.build_report(report_id=report.pk)
            report.refresh_from_db()
            stdout.write(f"专利导航：演示报告“{report.title}”已生成（{report.patent_count}件）")
