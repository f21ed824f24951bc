"""Demo data: a province census round (演示数据) sent to the three demo-account enterprises; the demo enterprise 济南齐鲁
answers (its own invented answers); 海尔 and 钢城 have not answered (idempotent)."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ipplatform.core.models import Organization, User

from . import services
from .models import CensusResponse, CensusRound

TITLE = "全省企业知识产权状况普查（演示数据）"
ANSWERS = {"industry": "C 制造业", "size": "小型", "employees": "86", "rd_staff": "21", "revenue": "4300", "rd_spend": "260", "inv_apps": "6",
           "inv_grants": "3", "valid_inv": "14", "pct_apps": "0", "trademarks": "5", "ip_dept": "否", "gbt29490": "否", "ip_staff": "1",
           "licence_income": "0", "pledged": "是", "infringed": "是", "measures": ["行政投诉"], "needs": ["质押融资", "维权援助"],
           "comments": "演示数据"}


def load(*, stdout, options):
    if CensusRound.objects.filter(title=TITLE).exists():
        stdout.write("普查演示数据已存在，跳过")
        return
    users = {u.username: u for u in User.objects.filter(username__in=["leader", "qilu_ent"])}
    orgs = list(Organization.objects.filter(name__in=["海尔集团公司", "济南齐鲁新材料科技有限公司（演示）", "莱芜钢城精密机械有限公司（演示）"]))
    if len(users) < 2 or len(orgs) < 3:
        stdout.write("缺少演示账号或机构，跳过普查演示数据")
        return
    rnd = services.create_round(by=users["leader"], title=TITLE, deadline=timezone.localdate() + dt.timedelta(days=30), organizations=orgs)
    services.send_round(rnd=rnd, by=users["leader"])
    mine = CensusResponse.objects.get(round=rnd, organization=users["qilu_ent"].organization)
    services.save_answers(response=mine, by=users["qilu_ent"], raw=ANSWERS, submit=True)
    stdout.write(f"普查演示数据：{TITLE}，3家企业，1家已提交")
