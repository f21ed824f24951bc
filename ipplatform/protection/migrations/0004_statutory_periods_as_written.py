"""Existing installations get the corrected rules: hearing request and service in working days (行政处罚法 art 85),
publication within 20 working days, the e-commerce wait from delivery, and the 行政处罚决定书 apart from the 处理决定书."""

from django.db import migrations

CODES = ["CF_HEARING_REQ", "CF_SERVE", "CF_PUBLISH", "EC_WAIT"]
TEMPLATES = ["decision", "penalty_decision"]


def update(apps, schema_editor):
    from ipplatform.protection.defaults import DEADLINE_RULES, DOCUMENT_TEMPLATES, PARTY_PERIODS

    Rule = apps.get_model("protection", "DeadlineRule")
    Template = apps.get_model("protection", "DocumentTemplate")
    for code, case_type, name, kind, amount, unit, opens, closes, ext, basis in DEADLINE_RULES:
        if code in CODES:
            Rule.objects.update_or_create(
                code=code,
                defaults=dict(
                    case_type=case_type,
                    name=name,
                    kind=kind,
                    amount=amount,
                    unit=unit,
                    opens_on=opens,
                    closes_on=closes,
                    max_extension=ext,
                    legal_basis=basis,
                    party_period=code in PARTY_PERIODS,
                ),
            )
    for code, name, types, body in DOCUMENT_TEMPLATES:
        if code == "decision":  # an edited body stays; only 假冒专利 cases move to the 行政处罚决定书
            Template.objects.filter(code=code).update(case_types=types)
        elif code in TEMPLATES:
            Template.objects.get_or_create(code=code, defaults=dict(name=name, case_types=types, body=body))


class Migration(migrations.Migration):
    dependencies = [("protection", "0003_hearing_penalty_procedure_and_agency_heads")]
    operations = [migrations.RunPython(update, migrations.RunPython.noop)]
