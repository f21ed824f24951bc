"""Database-level guard: audit events and workflow history cannot be updated.

Deletion is left to the database owner (test flushes need it) and is caught by the hash chain verifier
(a gap in the sequence or a broken link)."""

from django.db import migrations

from ipplatform.core.dbguards import create_append_only_triggers, drop_append_only_triggers

TABLES = ["core_auditevent", "core_statetransition"]


def create(apps, schema_editor):
    create_append_only_triggers(schema_editor, TABLES)


def drop(apps, schema_editor):
    drop_append_only_triggers(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
