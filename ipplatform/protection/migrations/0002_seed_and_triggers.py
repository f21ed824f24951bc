"""Seed the default deadline rules and document templates; make evidence records and extensions append-only."""
from django.db import migrations

TABLES = ["protection_evidencerecord", "protection_deadlineextension", "protection_conflictdeclaration"]


def seed(apps, schema_editor):
    from ipplatform.protection.defaults import DEADLINE_RULES, DOCUMENT_TEMPLATES, PARTY_PERIODS

    Rule = apps.get_model("protection", "DeadlineRule")
    Template = apps.get_model("protection", "DocumentTemplate")
    for code, case_type, name, kind, amount, unit, opens, closes, ext, basis in DEADLINE_RULES:
        Rule.objects.get_or_create(code=code, defaults=dict(case_type=case_type, name=name, kind=kind, amount=amount, unit=unit,
                                                            opens_on=opens, closes_on=closes, max_extension=ext, legal_basis=basis,
                                                            party_period=code in PARTY_PERIODS))
    for code, name, types, body in DOCUMENT_TEMPLATES:
        Template.objects.get_or_create(code=code, defaults=dict(name=name, case_types=types, body=body))


def triggers(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cur:
        for table in TABLES:
            if conn.vendor == "sqlite":
                cur.execute(f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
                            f"BEGIN SELECT RAISE(ABORT, 'append-only table {table}'); END;")
            elif conn.vendor == "postgresql":
                cur.execute("CREATE OR REPLACE FUNCTION ipplatform_append_only() RETURNS trigger AS $$ "
                            "BEGIN RAISE EXCEPTION 'append-only table %', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql;")
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_update ON {table}")
                cur.execute(f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION ipplatform_append_only()")


def drop_triggers(apps, schema_editor):
    conn = schema_editor.connection
    with conn.cursor() as cur:
        for table in TABLES:
            if conn.vendor == "sqlite":
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            elif conn.vendor == "postgresql":
                cur.execute(f"DROP TRIGGER IF EXISTS {table}_no_update ON {table}")


class Migration(migrations.Migration):
    dependencies = [("protection", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop), migrations.RunPython(triggers, drop_triggers)]
