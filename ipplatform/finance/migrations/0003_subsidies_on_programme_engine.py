"""Interest and premium subsidies move onto the programme engine: every finance.SubsidyApplication becomes a
programmes.Application of 质押融资贴息 / 专利保险补贴 (one call per programme and year), its objections engine
Objections and its payment batches engine batches with one line per institution; then finance's own subsidy,
objection and batch tables are dropped. Amounts: 万元 → 元 (× 10000)."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db import migrations

WAN = Decimal("10000")
CODE_OF = {"interest": "pledge_interest", "premium": "patent_insurance"}
# old state -> (engine status, stage)
STATUS = {
    "draft": ("draft", ""),
    "submitted": ("active", "city_check"),
    "returned": ("returned", "city_check"),
    "rejected": ("rejected", "city_check"),
    "notice": ("active", "notice"),
    "approved": ("approved", "payment"),
    "objection_upheld": ("rejected", "notice"),
    "paid": ("paid", "payment"),
}
BATCH_STATE = {"open": "draft", "exported": "exported", "paid": "paid"}


def _text(value):
    return "" if value is None else str(value)


def forward(apps, schema_editor):
    from ipplatform.finance.subsidy_programmes import PROGRAMMES

    SubsidyApplication = apps.get_model("finance", "SubsidyApplication")
    old_batches = apps.get_model("finance", "PaymentBatch")
    ProgrammeType = apps.get_model("programmes", "ProgrammeType")
    Call = apps.get_model("programmes", "Call")
    Application = apps.get_model("programmes", "Application")
    Objection = apps.get_model("programmes", "Objection")
    PaymentBatch = apps.get_model("programmes", "PaymentBatch")
    PaymentLine = apps.get_model("programmes", "PaymentLine")
    rows = list(SubsidyApplication.objects.select_related("applicant", "pledge", "insurer").order_by("pk"))
    if not rows:
        return
    specs = {spec["code"]: spec for spec in PROGRAMMES}
    types = {}
    for code, spec in specs.items():
        defaults = {k: v for k, v in spec.items() if k != "code"}
        types[code], _ = ProgrammeType.objects.get_or_create(code=code, defaults=defaults)
    groups = defaultdict(list)
    for row in rows:
        groups[(CODE_OF[row.kind], row.year)].append(row)
    new_of = {}
    for (code, year), group in groups.items():
        demo = any((r.pledge.contract_number or "").startswith("DEMO-") for r in group if r.pledge_id)
        notices = [r for r in group if r.notice_start]
        call = Call.objects.create(
            programme=types[code],
            year=year,
            title=f"{year}年{specs[code]['name']}" + ("（演示）" if demo else ""),
            opens_on=dt.date(year, 1, 1),
            closes_on=dt.date(year, 12, 31),
            budget=sum(((r.amount or Decimal("0")) * WAN for r in group), Decimal("0")),
            guide="由平台原“贴息与保费补助”申请迁移（金额按原补助政策规则计算，万元折算为元）。",
            notice_start=min((r.notice_start for r in notices), default=None),
            notice_end=max((r.notice_end for r in notices if r.notice_end), default=None),
            notice_closed=not any(r.state == "notice" for r in group),
            is_demo=demo,
        )
        for r in group:
            status, stage = STATUS[r.state]
            pledge = r.pledge
            data = {
                "bank": r.bank_account,
                "account": "",
                "contact": "",
                "phone": "",
                "migrated_from": f"finance.subsidyapplication:{r.pk}",
            }
            if r.kind == "interest":
                data.update(
                    pledge_no=(pledge.cnipa_registration_no or pledge.number) if pledge else "",
                    loan_amount=_text(r.loan_amount) or None,
                    loan_start=r.loan_start.isoformat() if r.loan_start else None,
                    loan_end=r.loan_end.isoformat() if r.loan_end else None,
                    interest_paid=_text(r.interest_paid) or None,
                )
                ref = (
                    (f"finance.pledge:{pledge.pk}", f"质押登记{pledge.cnipa_registration_no or pledge.number}")
                    if pledge
                    else ("", "")
                )
            else:
                insurer = r.insurer.name if r.insurer_id else ""
                data.update(insurer=insurer, policy_number=r.policy_number, premium_paid=_text(r.premium_paid) or None)
                ref = (
                    f"finance.insurance:{r.policy_number}",
                    f"专利保险保单{r.policy_number}（{insurer or '保险机构未填'}）",
                )
            decided = status in ("approved", "paid")
            app = Application.objects.create(
                call=call,
                organization=r.applicant,
                region_code=r.region_code or r.applicant.region_code,
                title=f"{r.applicant.name}{specs[code]['name']}"[:200],
                data=data,
                status=status,
                stage=stage,
                returned_from=stage if status == "returned" else "",
                return_reason=r.review_opinion if status == "returned" else "",
                amount=(r.amount * WAN).quantize(Decimal("0.01")) if decided and r.amount is not None else None,
                decision_note=(r.computation + f"\n（由原补助申请#{r.pk}迁移）") if decided else "",
                submitted_at=r.created_at if status != "draft" else None,
                subject_ref=ref[0][:60],
                subject_label=ref[1][:200],
                is_demo=demo,
                created_by_id=r.created_by_id,
            )
            new_of[r.pk] = app
            for o in r.objections.all():
                Objection.objects.create(
                    application=app,
                    name=o.objector[:60],
                    contact="原书面异议（线下受理）",
                    text=o.content,
                    state={True: "upheld", False: "dismissed"}.get(o.upheld, "open"),
                    response=o.resolution,
                )
    for old in old_batches.objects.order_by("pk"):
        members = [new_of[r.pk] for r in rows if r.batch_id == old.pk]
        if not members:
            continue
        batch = PaymentBatch.objects.create(
            call=members[0].call,
            number=old.number,
            state=BATCH_STATE.get(old.state, "draft"),
            total=sum((a.amount or Decimal("0") for a in members), Decimal("0")),
            paid_on=old.paid_on,
            created_by_id=old.created_by_id,
        )
        by_org = defaultdict(list)
        for a in members:
            by_org[a.organization_id].append(a)
        for org_apps in by_org.values():
            line = PaymentLine.objects.create(
                batch=batch,
                organization_id=org_apps[0].organization_id,
                amount=sum((a.amount or Decimal("0") for a in org_apps), Decimal("0")),
            )
            line.applications.set(org_apps)


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0002_pledge_cnipa_registration"),
        ("programmes", "0002_finance_link"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="subsidyapplication",
            name="batch",
        ),
        migrations.RemoveField(
            model_name="subsidyapplication",
            name="applicant",
        ),
        migrations.RemoveField(
            model_name="subsidyapplication",
            name="created_by",
        ),
        migrations.RemoveField(
            model_name="subsidyapplication",
            name="insurer",
        ),
        migrations.RemoveField(
            model_name="subsidyapplication",
            name="pledge",
        ),
        migrations.RemoveField(
            model_name="subsidyapplication",
            name="rule",
        ),
        migrations.RemoveField(
            model_name="subsidyobjection",
            name="application",
        ),
        migrations.RemoveField(
            model_name="subsidyobjection",
            name="created_by",
        ),
        migrations.DeleteModel(
            name="PaymentBatch",
        ),
        migrations.DeleteModel(
            name="SubsidyApplication",
        ),
        migrations.DeleteModel(
            name="SubsidyObjection",
        ),
    ]
