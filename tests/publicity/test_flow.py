"""News and notices: draft → review → publish by the right people, recorded; scheduled publication; public pages,
search, attachments and RSS."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from ipplatform.core.inputs import InputError
from ipplatform.core.workflow import history
from ipplatform.publicity import services
from ipplatform.publicity.enums import ArticleState

pytestmark = pytest.mark.django_db


def _draft(users, username="bangongshi", **extra):
    data = {
        "category": "notice",
        "title": "关于开展专利法学习的通知",
        "body": "## 学习安排\n\n请各单位**按时**完成。",
        **extra,
    }
    return services.save_article(user=users[username], article=None, data=data)


def test_draft_review_publish_is_recorded(users):
    a = _draft(users)
    assert a.state == ArticleState.DRAFT and not services.is_public(a)
    a = services.transition(user=users["bangongshi"], article=a, action="submit")
    a = services.transition(user=users["leader"], article=a, action="approve")
    assert a.state == ArticleState.PUBLISHED and services.is_public(a) and a.reviewed_by == users["leader"]
    assert [(h.source, h.target, h.actor_name) for h in history(a)] == [
        ("draft", "review", "bangongshi"),
        ("review", "published", "leader"),
    ]


def test_author_cannot_approve_own_article(users):
    a = services.transition(user=users["bangongshi"], article=_draft(users), action="submit")
    with pytest.raises(PermissionDenied, match="撰稿人不能审核本人稿件"):
        services.transition(user=users["bangongshi"], article=a, action="approve")


def test_only_the_office_reviews_province_articles(users):
    a = services.transition(user=users["guihua"], article=_draft(users, "guihua"), action="submit")
    with pytest.raises(PermissionDenied):
        services.transition(user=users["xinxi"], article=a, action="approve")  # another department
    with pytest.raises(PermissionDenied):
        services.transition(user=users["city370200"], article=a, action="approve")
    assert services.transition(user=users["bangongshi"], article=a, action="approve").state == ArticleState.PUBLISHED


def test_city_articles_are_reviewed_in_their_city(users):
    a = _draft(users, "huangdao")
    assert a.city_code == "370200"
    a = services.transition(user=users["huangdao"], article=a, action="submit")
    with pytest.raises(PermissionDenied):
        services.transition(user=users["city370100"], article=a, action="approve")
    assert services.transition(user=users["city370200"], article=a, action="approve").state == ArticleState.PUBLISHED


def test_reject_needs_a_reason_and_returns_to_draft(users):
    a = services.transition(user=users["bangongshi"], article=_draft(users), action="submit")
    with pytest.raises(InputError, match="理由"):
        services.transition(user=users["leader"], article=a, action="reject")
    a = services.transition(user=users["leader"], article=a, action="reject", reason="标题需写明年份")
    assert a.state == ArticleState.DRAFT and history(a).last().reason == "标题需写明年份"


def test_published_articles_cannot_be_edited_or_published_twice(users):
    a = services.transition(user=users["bangongshi"], article=_draft(users), action="submit")
    a = services.transition(user=users["leader"], article=a, action="approve")
    with pytest.raises(InputError, match="不能修改"):
        services.save_article(user=users["bangongshi"], article=a, data={"title": "改"})
    with pytest.raises(TransitionNotAllowed):
        services.transition(user=users["leader"], article=a, action="approve")
    a = services.transition(user=users["bangongshi"], article=a, action="withdraw", reason="内容更新")
    assert not services.is_public(a)
    assert services.transition(user=users["bangongshi"], article=a, action="revise").state == ArticleState.DRAFT


def test_scheduled_publication(users, monkeypatch):
    later = timezone.now() + dt.timedelta(days=2)
    a = _draft(users, publish_at=later)
    services.transition(user=users["bangongshi"], article=a, action="submit")
    a = services.transition(user=users["leader"], article=a, action="approve")
    assert a.state == ArticleState.PUBLISHED and a.publish_at == later
    assert not services.is_public(a) and a not in services.public_articles()
    monkeypatch.setattr(services, "now", lambda: later + dt.timedelta(seconds=1))
    assert services.is_public(a) and a in services.public_articles()


def test_non_staff_cannot_write(users):
    with pytest.raises(PermissionDenied):
        services.save_article(user=users["haier"], article=None, data={"title": "x", "body": "y", "category": "news"})


def test_attachment_rules(users):
    a = _draft(users)
    att = services.add_attachment(
        user=users["bangongshi"], article=a, upload=SimpleUploadedFile("学习安排.pdf", b"%PDF-1.4 test")
    )
    assert att.name == "学习安排.pdf" and att.size == 13
    with pytest.raises(InputError, match="类型不支持"):
        services.add_attachment(user=users["bangongshi"], article=a, upload=SimpleUploadedFile("x.exe", b"MZ"))


def test_public_pages_search_rss_and_drafts_hidden(client, users):
    public = services.transition(
        user=users["leader"],
        article=services.transition(user=users["bangongshi"], article=_draft(users), action="submit"),
        action="approve",
    )
    services.add_attachment  # noqa: B018
    draft = _draft(users, title="尚未发布的草稿")
    r = client.get(reverse("publicity:public_list"), {"q": "专利法"})
    html = r.content.decode()
    assert public.title in html and draft.title not in html
    assert client.get(reverse("publicity:public_list"), {"q": "不存在的词"}).content.decode().count(public.title) == 0
    detail = client.get(reverse("publicity:public_detail", args=[public.pk])).content.decode()
    assert "<h2>学习安排</h2>" in detail and "<strong>按时</strong>" in detail
    assert client.get(reverse("publicity:public_detail", args=[draft.pk])).status_code == 404
    rss = client.get(reverse("publicity:feed"))
    assert rss.status_code == 200 and "application/rss+xml" in rss["Content-Type"]
    assert public.title in rss.content.decode() and draft.title not in rss.content.decode()


def test_desk_and_actions_through_pages(client, users):
    client.force_login(users["bangongshi"])
    r = client.post(
        reverse("publicity:article_new"),
        {
            "category": "news",
            "title": "工作动态一则",
            "body": "正文内容",
            "summary": "",
            "source": "",
            "publish_at": "",
        },
    )
    a = services.Article.objects.get(title="工作动态一则")
    assert r.status_code == 302
    client.post(reverse("publicity:article_action", args=[a.pk]), {"action": "submit"})
    client.force_login(users["leader"])
    assert a.title in client.get(reverse("publicity:desk")).content.decode()
    client.post(reverse("publicity:article_action", args=[a.pk]), {"action": "approve"})
    assert services.Article.objects.get(pk=a.pk).state == ArticleState.PUBLISHED
    client.force_login(users["haier"])
    assert client.get(reverse("publicity:desk")).status_code == 403
