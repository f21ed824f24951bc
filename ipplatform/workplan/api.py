"""REST API of work-plan supervision: the user's tasks with their status, and the supervision board figures."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from ipplatform.core.inputs import InputError, is_id, parse_date

from . import services
from .models import Plan

PARAMS = [
    OpenApiParameter("year", int, description="年度，缺省为最近导入的年度"),
    OpenApiParameter("as_of", str, description="统计截至日期 YYYY-MM-DD，缺省为当日（往年为年末）"),
]
TASK_FIELDS = {
    "id": serializers.IntegerField(),
    "number": serializers.IntegerField(),
    "section": serializers.CharField(),
    "lead": serializers.CharField(),
    "lead_unit": serializers.CharField(allow_null=True),
    "co_units": serializers.ListField(child=serializers.CharField()),
    "percent": serializers.IntegerField(allow_null=True),
    "health": serializers.CharField(),
    "health_label": serializers.CharField(),
    "missing_units": serializers.ListField(child=serializers.CharField()),
    "overdue_milestones": serializers.IntegerField(),
    "open_reminders": serializers.IntegerField(),
    "unresolved_units": serializers.ListField(child=serializers.CharField()),
}


def _plan_and_date(request) -> tuple[Plan, dt.date]:
    year = request.query_params.get("year")
    if year and not is_id(year):
        raise InputError(f"年度“{year}”不是有效年份", field="year")
    plan = Plan.objects.filter(year=int(year)).first() if year else Plan.objects.order_by("-year").first()
    if plan is None:
        raise InputError(f"尚未导入{year + '年' if year else '任何'}工作要点", field="year")
    as_of = request.query_params.get("as_of")
    return plan, (parse_date(as_of, field="as_of", label="截至日期") if as_of else services.default_as_of(plan))


def _task_json(r) -> dict:
    return {
        "id": r["task"].pk,
        "number": r["task"].number,
        "section": str(r["task"].section),
        "lead": r["task"].lead,
        "lead_unit": r["lead"].display_name if r["lead"] else None,
        "co_units": [a.display_name for a in r["coops"]],
        "percent": r["percent"],
        "health": r["health"],
        "health_label": r["health_label"],
        "missing_units": [a.display_name for a in r["missing"]],
        "overdue_milestones": len(r["overdue"]),
        "open_reminders": len(r["open_reminders"]),
        "unresolved_units": [a.unit_name for a in r["unresolved"]],
    }


class TaskListView(APIView):
    @extend_schema(
        summary="工作要点任务及督导状态（按数据范围：局领导、办公室看全部，其他单位看本单位任务）",
        parameters=PARAMS,
        responses=inline_serializer("WorkplanTask", TASK_FIELDS, many=True),
    )
    def get(self, request):
        plan, as_of = _plan_and_date(request)
        data = services.board(plan=plan, user=request.user, as_of=as_of)
        return Response([_task_json(r) for r in data["rows"]])


class BoardView(APIView):
    @extend_schema(
        summary="督导看板汇总：状态计数、未报送、逾期节点、年度目标",
        parameters=PARAMS,
        responses=inline_serializer(
            "WorkplanBoard",
            {
                "year": serializers.IntegerField(),
                "as_of": serializers.DateField(),
                "time_progress": serializers.IntegerField(),
                "counts": serializers.DictField(child=serializers.IntegerField()),
                "missing_reports": serializers.IntegerField(),
                "overdue_milestones": serializers.IntegerField(),
                "targets": serializers.ListField(child=serializers.DictField()),
                "units": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request):
        plan, as_of = _plan_and_date(request)
        data = services.board(plan=plan, user=request.user, as_of=as_of)
        targets, note = services.targets_with_measurements(plan)
        return Response(
            {
                "year": plan.year,
                "as_of": as_of,
                "time_progress": data["expected"],
                "counts": data["counts"],
                "missing_reports": len(data["missing"]),
                "overdue_milestones": len(data["overdue"]),
                "targets": [
                    {**{k: v for k, v in t.items()}, "target": float(t["target"]), "note": note} for t in targets
                ],
                "units": [
                    {
                        "unit": u["org"].name,
                        "lead": u["lead"],
                        "coop": u["coop"],
                        "missing": u["missing"],
                        "overdue": u["overdue"],
                        **{h: u[h] for h in data["counts"]},
                    }
                    for u in data["units"]
                ],
            }
        )
