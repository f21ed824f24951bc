"""Demo data: the demo agency (its name says 演示) with an agent, training and a rating; a demo alliance of demo
enterprises; a demo key protected unit. Nothing is said about real bodies (idempotent)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ipplatform.core.demo import FICTIONAL_JINAN, FICTIONAL_LAIWU
from ipplatform.core.models import Organization, User

from . import services
from .models import Agency, Alliance, KeyProtectedUnit

ALLIANCE = "济南新材料产业知识产权保护联盟（演示数据）"


@transaction.atomic
def load(*, stdout, options):
    leader = User.objects.filter(username="leader").first()
    agency_org = Organization.objects.filter(name="济南齐鲁专利事务所（演示）").first()
    jinan = Organization.objects.filter(name=FICTIONAL_JINAN).first()
    laiwu = Organization.objects.filter(name=FICTIONAL_LAIWU).first()
    if not (leader and agency_org and jinan and laiwu):
        stdout.write("缺少演示机构，跳过代理机构与保护组织演示数据")
        return
    today = timezone.localdate()
    agency = Agency.objects.filter(organization=agency_org).first()
    if agency is None:
        agency = services.register_agency(
            by=leader, organization=agency_org, licence_no="演示-37101", head="陈代理（演示）"
        )
        a = services.add_agent(by=leader, agency=agency, name="陈代理（演示）", qualification_no="演示-Q-0001")
        a.user = User.objects.filter(username="agency").first()
        a.save()
        b = services.add_agent(by=leader, agency=agency, name="刘代理（演示）", qualification_no="演示-Q-0002")
        services.add_training(
            by=leader, agent=a, course="专利代理实务（演示数据）", on=today - dt.timedelta(days=30), hours=40
        )
        services.add_training(
            by=leader, agent=b, course="专利代理实务（演示数据）", on=today - dt.timedelta(days=30), hours=16
        )
        services.rate(agency=agency, by=leader)
    if not Alliance.objects.filter(name=ALLIANCE).exists():
        al = services.create_alliance(
            by=leader,
            name=ALLIANCE,
            field="新材料",
            industry="C",
            region_code="370100",
            lead=jinan,
            established_on=dt.date(today.year, 1, 8),
            shared_resources="演示数据：新材料专利专题数据库；维权援助专家",
        )
        services.add_member(by=leader, alliance=al, organization=laiwu, joined_on=dt.date(today.year, 1, 8))
        services.add_member(
            by=leader, alliance=al, organization=agency_org, role="service", joined_on=dt.date(today.year, 1, 8)
        )
        services.add_agreement(
            by=leader,
            alliance=al,
            title="演示数据：联盟成员知识产权互助维权协议",
            signed_on=dt.date(today.year, 1, 8),
            parties="全体成员单位（演示）",
        )
    if not KeyProtectedUnit.objects.filter(organization=jinan).exists():
        services.designate(
            by=leader,
            organization=jinan,
            batch=f"演示数据：{today.year}年度第一批",
            basis="演示数据：高价值专利密集、近年多次遭受侵权",
            valid_from=dt.date(today.year, 1, 1),
            is_demo=True,
        )
    stdout.write("代理机构、保护联盟与重点保护单位演示数据已加载（均为演示机构）")
