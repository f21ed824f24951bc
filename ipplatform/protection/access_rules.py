"""Access rules for the URLs of this app (format: ipplatform/core/access.py, docs/ACCESS.md)."""

from ipplatform.core.access import CITIES, COUNTIES, EVERYONE, PROVINCE, SIGNED_IN, Obj, Rule, user


def _evidence():
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from ipplatform.protection import evidence
    from ipplatform.protection.models import Case

    case = Case.objects.filter(region_code__startswith="3701").order_by("pk").first()
    return evidence.add_record(
        case=case,
        by=user("admin"),
        upload=SimpleUploadedFile("photo.txt", b"evidence"),
        file_name="photo.txt",
        stage="intake",
        kind="document",
        title="访问矩阵证据",
        captured_at=timezone.now() - dt.timedelta(hours=1),
        officers=[user("fawu")],
    )


def _attachment():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ipplatform.protection import evidence
    from ipplatform.protection.models import Intake

    intake = Intake.objects.filter(region_code__startswith="3701").order_by("pk").first()
    upload = SimpleUploadedFile("screenshot.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    return evidence.add_intake_files(intake=intake, uploads=[upload])[0]


RULES = [
    Rule("protection:case_list", allow=SIGNED_IN),
    Rule("protection:intake_public", allow=EVERYONE),
    Rule("protection:intake_done", allow=EVERYONE),
    Rule("protection:track", allow=EVERYONE),
    Rule("protection:intake_list", allow=SIGNED_IN),
    Rule("protection:intake_new", allow=PROVINCE | CITIES | COUNTIES | {"fawu"}),
    Rule(
        "protection:intake_detail",
        allow=PROVINCE | {"city370100", "fawu"},
        obj=Obj("protection.Intake", region_code__startswith="3701"),
    ),
    Rule(
        "protection:intake_action",
        allow=PROVINCE | {"city370100", "fawu"},
        obj=Obj("protection.Intake", region_code__startswith="3701"),
        method="POST",
    ),
    Rule("protection:case_new", allow=PROVINCE | CITIES | COUNTIES | {"fawu"}),
    Rule(
        "protection:case_detail",
        allow=PROVINCE | {"city370100", "fawu"},
        obj=Obj("protection.Case", region_code__startswith="3701"),
    ),
    Rule(
        "protection:case_transition",
        allow=PROVINCE | {"city370100", "fawu"},
        obj=Obj("protection.Case", region_code__startswith="3701"),
        method="POST",
    ),
    Rule(
        "protection:case_assign",
        allow=PROVINCE | {"city370100", "fawu"},
        obj=Obj("protection.Case", region_code__startswith="3701"),
        method="POST",
    ),
    Rule(
        "protection:case_respondent",
        allow=PROVINCE | {"city370100", "fawu"},
        obj=Obj("protection.Case", region_code__startswith="3701"),
        method="POST",
    ),
    Rule(
        "protection:case_jurisdiction",
        allow=PROVINCE | {"city370100", "fawu"},
        obj=Obj("protection.Case", region_code__startswith="3701"),
        method="POST",
    ),
    Rule(
        "protection:case_extend",
        allow=PROVINCE | {"fawu", "city370100"},
        obj=Obj("protection.Case", region_code__startswith="3701"),
        method="POST",
        data=lambda o: {"deadline": o.deadlines.order_by("pk").first().pk, "amount": "0"},
    ),
    Rule(
        "protection:case_evidence",
        allow=PROVINCE | {"city370100", "fawu"},
        obj=Obj("protection.Case", region_code__startswith="3701"),
        method="POST",
    ),
    Rule(
        "protection:case_document",
        allow=PROVINCE | {"fawu", "city370100"},
        obj=Obj("protection.Case", region_code__startswith="3701"),
        kwargs=lambda o: {"pk": o.pk, "code": "acceptance_notice"},
    ),
    Rule(
        "protection:case_agency",
        allow=PROVINCE | {"city370100", "fawu"},
        obj=Obj("protection.Case", region_code__startswith="3701"),
        method="POST",
    ),
    Rule(
        "protection:case_consult",
        allow=PROVINCE | {"city370100", "fawu"},
        obj=Obj("protection.Case", region_code__startswith="3701"),
        method="POST",
    ),
    Rule(
        "protection:case_party",
        allow=PROVINCE | {"city370100", "fawu"},
        obj=Obj("protection.Case", region_code__startswith="3701"),
    ),
    Rule(
        "protection:evidence_download",
        allow=PROVINCE | {"fawu", "city370100"},
        obj=Obj("protection.EvidenceRecord", case__region_code__startswith="3701", make=_evidence),
    ),
    Rule(
        "protection:intake_attachment",
        allow=PROVINCE | {"fawu", "city370100"},
        obj=Obj("protection.IntakeAttachment", intake__region_code__startswith="3701", make=_attachment),
    ),
    Rule("protection:evidence_verify", allow=PROVINCE | CITIES | COUNTIES | {"fawu"}),
    Rule("protection:transfer_receipt", allow=PROVINCE | {"fawu"}, obj=Obj("protection.AgencyTransfer"), method="POST"),
    Rule("protection:board", allow=PROVINCE | CITIES | COUNTIES | {"fawu"}),
    Rule("protection:experts", allow=PROVINCE | CITIES | COUNTIES | {"fawu"}),
    Rule("protection:consultations", allow=SIGNED_IN),
    Rule(
        "protection:consultation_detail",
        allow=PROVINCE | COUNTIES | {"city370200", "expert", "fawu", "haier"},
        obj=Obj("protection.Consultation"),
    ),
    Rule("protection:stats", allow=PROVINCE | CITIES | COUNTIES | {"fawu"}),
    Rule("protection:rules", allow=PROVINCE | CITIES | COUNTIES | {"fawu"}),
    Rule("protection:api_cases", allow=SIGNED_IN),
    Rule(
        "protection:api_case",
        allow=PROVINCE | {"city370100", "fawu"},
        obj=Obj("protection.Case", region_code__startswith="3701"),
    ),
    Rule(
        "protection:api_case_transition",
        allow=PROVINCE | {"city370100", "fawu"},
        obj=Obj("protection.Case", region_code__startswith="3701"),
        method="POST",
    ),
    Rule("protection:api_track", allow=EVERYONE, method="POST"),
    Rule(
        "protection:case_hearing",
        allow=PROVINCE | {"city370100", "fawu"},
        obj=Obj("protection.Case", region_code__startswith="3701"),
        method="POST",
    ),
]
