"""Seed the default deadline rules and document templates; make evidence records and extensions append-only."""

from django.db import migrations

from ipplatform.core.dbguards import create_append_only_triggers, drop_append_only_triggers

TABLES = ["protection_evidencerecord", "protection_deadlineextension", "protection_conflictdeclaration"]


def seed(apps, schema_editor):
    from ipplatform.protection.defaults import DEADLINE_RULES, DOCUMENT_TEMPLATES, PARTY_PERIODS

    Rule = apps.get_model("protection", "DeadlineRule")
    Template = apps.get_model("protection", "DocumentTemplate")
    for code, case_type, name, kind, amount, unit, opens, closes, ext, basis in DEADLINE_RULES:
        Rule.objects.get_or_create(
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
        Template.objects.get_or_create(code=code, defaults=dict(name=name, case_types=types, body=body))


def triggers(apps, schema_editor):
    create_append_only_triggers(schema_editor, TABLES)


def drop_triggers(apps, schema_editor):
    drop_append_only_triggers(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [("protection", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop), migrations.RunPython(triggers, drop_triggers)]
