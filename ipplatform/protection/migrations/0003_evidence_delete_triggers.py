"""Evidence records, deadline extensions and conflict declarations cannot be deleted (database triggers)."""

from django.db import migrations

from ipplatform.core.dbguards import create_no_delete_triggers, drop_no_delete_triggers

TABLES = ["protection_evidencerecord", "protection_deadlineextension", "protection_conflictdeclaration"]


def create(apps, schema_editor):
    create_no_delete_triggers(schema_editor, TABLES)


def drop(apps, schema_editor):
    drop_no_delete_triggers(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [("protection", "0002_seed_and_triggers")]
    operations = [migrations.RunPython(create, drop)]
