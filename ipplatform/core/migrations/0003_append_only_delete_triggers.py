"""Database-level guard, second half: audit events and workflow history cannot be deleted either (SQLite and
PostgreSQL; on PostgreSQL TRUNCATE is refused too). Deletion by someone who drops the triggers is still caught by the
external anchors (core.anchors)."""

from django.db import migrations

from ipplatform.core.dbguards import create_no_delete_triggers, drop_no_delete_triggers

TABLES = ["core_auditevent", "core_statetransition"]


def create(apps, schema_editor):
    create_no_delete_triggers(schema_editor, TABLES)


def drop(apps, schema_editor):
    drop_no_delete_triggers(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_append_only_triggers")]
    operations = [migrations.RunPython(create, drop)]
