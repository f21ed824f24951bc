"""Demo data: one credit event of a demo enterprise (labelled 演示数据) and the scores of the demo accounts' enterprises."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from ipplatform.core.demo import FICTIONAL_JINAN, FICTIONAL_LAIWU
from ipplatform.core.models import Organization, User

from . import services
from .models import CreditEvent


def load(*, stdout, options):
    laiwu = Organization.objects.filter(name=FICTIONAL_LAIWU).first()
    officer = User.objects.filter(username="fawu").first()
    if laiwu is None or officer is None:
        stdout.write("缺少演示机构，跳过信用演示数据")
        return
    services.ensure_rules()
    if not CreditEvent.objects.filter(organization=laiwu, is_demo=True).exists():
        services.record_event(
            org=laiwu,
            by=officer,
            kind="abnormal",
            occurred_on=timezone.localdate() - dt.timedelta(days=60),
            description="演示数据：经核查存在非正常专利申请2件",
            document_no="演示-2026-001",
            is_demo=True,
        )
    accounts = User.objects.filter(username__in=["haier", "qilu_ent"], organization__isnull=False).values_list(
        "organization", flat=True
    )
    for org in Organization.objects.filter(Q(name=FICTIONAL_JINAN) | Q(pk__in=list(accounts))):
        services.current(org)
    stdout.write("信用演示数据已加载（演示机构的演示事件）")
