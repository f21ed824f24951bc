"""The notice that forwards a seller's declaration to the rights holder: they may complain or sue (电子商务法 arts 43, 44)."""

from django.db import migrations


def add(apps, schema_editor):
    from ipplatform.protection.defaults import DOCUMENT_TEMPLATES

    Template = apps.get_model("protection", "DocumentTemplate")
    for code, name, types, body in DOCUMENT_TEMPLATES:
        if code == "counter_notice_forward":
            Template.objects.get_or_create(code=code, defaults=dict(name=name, case_types=types, body=body))


class Migration(migrations.Migration):
    dependencies = [("protection", "0004_statutory_periods_as_written")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
