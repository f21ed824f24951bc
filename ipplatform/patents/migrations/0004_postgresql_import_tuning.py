"""PostgreSQL: drop the `LIKE 'prefix%'` indexes of columns that are only compared for equality, and leave room on
the applicant table's pages for the import's in-place updates of patent counts. Nothing changes on SQLite.

Kept: Patent.ipc_main and region_code, Applicant.region_code (prefix filters of navigation and the city scopes)."""

from django.db import migrations

from ipplatform.lib import pgschema

UNUSED_LIKE = {
    "patents_patent": ["id", "application_number", "publication_number", "city_code", "province_code"],
    "patents_publication": ["number", "patent_id"],
    "patents_patentapplicant": ["patent_id"],
    "patents_legalevent": ["patent_id", "code"],
    "patents_applicant": ["name", "entity_type"],
}


def forwards(apps, schema_editor):
    pgschema.drop_like_indexes(schema_editor, UNUSED_LIKE)
    pgschema.set_fillfactor(schema_editor, {"patents_applicant": 70})


def backwards(apps, schema_editor):
    pgschema.create_like_indexes(schema_editor, UNUSED_LIKE)
    pgschema.set_fillfactor(schema_editor, {"patents_applicant": 100})


class Migration(migrations.Migration):
    dependencies = [
        ("patents", "0003_patent_drop_few_valued_indexes"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
