"""A named reporter is told within 5 working days of the decision to open a case (投诉举报处理暂行办法 art 31)."""

from django.db import migrations


def add(apps, schema_editor):
    from ipplatform.protection.defaults import DEADLINE_RULES, PARTY_PERIODS

    Rule = apps.get_model("protection", "DeadlineRule")
    for code, case_type, name, kind, amount, unit, opens, closes, ext, basis in DEADLINE_RULES:
        if code == "CF_REPORTER":
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


class Migration(migrations.Migration):
    dependencies = [("protection", "0006_enforcement_measures_payment_and_panel")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
