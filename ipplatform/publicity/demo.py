"""Demo news, an event and an information item (idempotent). Titles say 演示: they describe the platform's own
content and invent no facts about real bodies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from ipplatform.core.models import User

from . import services
from .enums import Category, EventKind
from .models import Article, Event, InfoSubmission

ARTICLES = [
    (
        Category.NOTICE,
        "关于在远程教育平台学习《专利法基础（2020年修正）》课程的通知（演示）",
        "各市知识产权局、局机关各处室：\n\n远程教育平台已上线《专利法基础（2020年修正）》课程，包括平台生成的讲解视频、专利法及实施细则条文节选和在线测验。\n\n"
        "- 学完全部章节后可参加测验，60分及格，最多3次；\n- 通过后可下载带验证码的结业证书，并计入年度学时。\n\n（本通知为演示数据。）",
        "",
    ),
    (Category.POLICY, "专利法（2020年修正）条文节选（演示）", None, ""),
    (
        Category.NEWS,
        "全省知识产权工作要点在平台发布供学习（演示）",
        "省局将《2015年全省知识产权工作要点》作为学习任务下达各市局，学习情况计入培训学时统计。（本信息为演示数据。）",
        "",
    ),
]


def load(*, stdout=None, options=None):
    write = stdout.write if stdout is not None else (lambda s: None)
    editor = User.objects.filter(username="bangongshi").first()
    reviewer = User.objects.filter(username="leader").first()
    if editor is None or reviewer is None:
        return
    made = 0
    for category, title, body, source in ARTICLES:
        if Article.objects.filter(title=title).exists():
            continue
        if body is None:
            body = (Path(settings.REFERENCE_DATA_DIR) / "statutes" / "patent_law_2020_excerpt.md").read_text(
                encoding="utf-8"
            )
        article = services.save_article(
            user=editor, article=None, data={"category": category, "title": title, "body": body, "source": source}
        )
        services.transition(user=editor, article=article, action="submit")
        services.transition(user=reviewer, article=article, action="approve")
        made += 1
    if not Event.objects.filter(title__endswith="（演示）").exists():
        start = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(days=20)
        Event.objects.create(
            kind=EventKind.IP_WEEK,
            title="知识产权宣传周 专利法普及讲座（演示）",
            city_code="370100",
            place="济南市（演示地点）",
            starts_at=start,
            ends_at=start + dt.timedelta(hours=3),
            registration_deadline=start - dt.timedelta(days=1),
            capacity=80,
            description="讲解专利法基础知识，现场答疑。本活动为演示数据。",
            organizer=editor.organization,
            created_by=editor,
        )
    city = User.objects.filter(username="city370200").first()
    if city and not InfoSubmission.objects.filter(title__endswith="（演示）").exists():
        services.submit_info(
            user=city,
            title="市局组织学习年度工作要点（演示）",
            body="市局组织全体工作人员在远程教育平台学习年度工作要点，并结合本市实际研究分解任务。本信息为演示数据。",
        )
    write(f"宣传：新增新闻公告{made}条，宣传活动与政务信息各1条（演示）")
