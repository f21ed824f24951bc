"""Access rules for the URLs of this app (format: ipplatform/core/access.py, docs/ACCESS.md)."""

from ipplatform.core.access import CITIES, PROVINCE, PROVINCIAL, SIGNED_IN, Obj, Rule


def _attachment():
    from django.core.files.base import ContentFile

    from ipplatform.workplan.models import ProgressReport, ReportAttachment

    att = ReportAttachment(
        report=ProgressReport.objects.order_by("pk").first(), name="附件.txt", size=4, sha256="0" * 64
    )
    att.file.save("matrix.txt", ContentFile(b"file"), save=True)
    return att


RULES = [
    Rule("workplan:index", allow=SIGNED_IN),
    Rule("workplan:board", allow=SIGNED_IN),
    Rule("workplan:summary", allow=PROVINCE, obj=Obj("workplan.Plan"), kwargs=lambda o: {"pk": o.pk, "kind": "half"}),
    Rule("workplan:remind_missing", allow=PROVINCE, obj=Obj("workplan.Plan"), method="POST"),
    Rule("workplan:import", allow=frozenset({"admin"})),
    Rule("workplan:import_template", allow=frozenset({"admin"})),
    Rule("workplan:import_preview", allow=frozenset({"admin"}), obj=Obj("workplan.PlanImport")),
    Rule("workplan:import_resolve", allow=frozenset({"admin"}), obj=Obj("workplan.PlanImport"), method="POST"),
    Rule("workplan:import_commit", allow=frozenset({"admin"}), obj=Obj("workplan.PlanImport"), method="POST"),
    Rule("workplan:import_cancel", allow=frozenset({"admin"}), obj=Obj("workplan.PlanImport"), method="POST"),
    Rule("workplan:task", allow=PROVINCIAL | CITIES, obj=Obj("workplan.Task")),
    Rule("workplan:task_report", allow=PROVINCIAL | CITIES, obj=Obj("workplan.Task")),
    Rule("workplan:milestone_add", allow=PROVINCIAL | CITIES, obj=Obj("workplan.Task"), method="POST"),
    Rule("workplan:task_complete", allow=PROVINCE, obj=Obj("workplan.Task"), method="POST"),
    Rule("workplan:task_remind", allow=PROVINCE, obj=Obj("workplan.Task"), method="POST"),
    Rule("workplan:task_units", allow=PROVINCIAL | CITIES, obj=Obj("workplan.Task"), method="POST"),
    Rule("workplan:milestone_finish", allow=PROVINCE, obj=Obj("workplan.Milestone"), method="POST"),
    Rule("workplan:reports", allow=SIGNED_IN),
    Rule("workplan:report", allow=PROVINCE, obj=Obj("workplan.ProgressReport")),
    Rule("workplan:report_review", allow=PROVINCE, obj=Obj("workplan.ProgressReport"), method="POST"),
    Rule("workplan:attachment", allow=PROVINCE, obj=Obj("workplan.ReportAttachment", make=_attachment)),
    Rule("workplan:reminders", allow=SIGNED_IN),
    Rule("workplan:reminder", allow=PROVINCE | {"city370100"}, obj=Obj("workplan.Reminder")),
    Rule("workplan:api_tasks", allow=SIGNED_IN),
    Rule("workplan:api_board", allow=SIGNED_IN),
    Rule("workplan:import_narrow", allow=frozenset({"admin"}), obj=Obj("workplan.PlanImport"), method="POST"),
]
