"""Demo data: a province census round (演示数据) sent to the demo accounts' enterprises and the two fictional demo
enterprises; only the fictional 济南齐鲁 (演示) has answers (entered by the office from its paper form, invented), so no
answer is ever shown for a real body (idempotent)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ipplatform.core.demo import FICTIONAL_JINAN, FICTIONAL_LAIWU
from ipplatform.core.models import Organization, User

from . import services
from .models import CensusResponse, CensusRound

TITLE = "全省企业知识产权状况普查（演示数据）"
ANSWERS = {
    "industry": "C 制造业",
    "size": "小型",
    "employees": "86",
    "rd_staff": "21",
    "revenue": "4300",
    "rd_spend": "260",
    "inv_apps": "6",
    "inv_grants": "3",
    "valid_inv": "14",
    "pct_apps": "0",
    "trademarks": "5",
    "ip_dept": "否",
    "gbt29490": "否",
    "ip_staff": "1",
    "licence_income": "0",
    "pledged": "是",
    "infringed": "是",
    "measures": ["行政投诉"],
    "needs": ["质押融资", "维权援助"],
    "comments": "演示数据",
}


def load(*, stdout, options):
    if CensusRound.objects.filter(title=TITLE).exists():
        stdout.write("普查演示数据已存在，跳过")
        return
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["leader", "haier", "qilu_ent", "laiwu_ent"]).select_related(
            "organization"
        )
    }
    fictional = {o.name: o for o in Organization.objects.filter(name__in=[FICTIONAL_JINAN, FICTIONAL_LAIWU])}
    if "leader" not in users or len(fictional) < 2:
        stdout.write("缺少演示账号或机构，跳过普查演示数据")
        return
    orgs = list(fictional.values()) + [u.organization for n, u in users.items() if n != "leader" and u.organization]
    orgs = list({o.pk: o for o in orgs}.values())
    rnd = services.create_round(
        by=users["leader"], title=TITLE, deadline=timezone.localdate() + dt.timedelta(days=30), organizations=orgs
    )
    services.send_round(rnd=rnd, by=users["leader"])
    answered = CensusResponse.objects.get(round=rnd, organization=fictional[FICTIONAL_JINAN])
    services.save_answers(response=answered, by=users["leader"], raw=ANSWERS, submit=True)
    stdout.write(f"普查演示数据：{TITLE}，{len(orgs)}家企业，1家（虚构演示企业）已提交")
