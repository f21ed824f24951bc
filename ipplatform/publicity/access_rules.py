"""Who may open each page of news, events and 政务信息报送 (format: ipplatform/core/access.py, docs/ACCESS.md)."""

from __future__ import annotations

from ipplatform.core.access import EVERYONE, PROVINCE, PROVINCIAL, STAFF, Obj, Rule


def _attachment():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ipplatform.publicity.models import Article, ArticleAttachment

    article = Article.objects.filter(state="published").order_by("pk").first()
    att = ArticleAttachment(article=article, name="附件.pdf", size=8)
    att.file.save("access.pdf", SimpleUploadedFile("access.pdf", b"%PDF-1.4"), save=False)
    att.save()
    return att


PUBLISHED = Obj("publicity.Article", state="published")

RULES = [
    Rule("publicity:public_list", allow=EVERYONE),
    Rule("publicity:public_detail", allow=EVERYONE, obj=PUBLISHED),
    Rule("publicity:feed", allow=EVERYONE),
    Rule(
        "publicity:attachment",
        allow=EVERYONE,
        obj=Obj("publicity.ArticleAttachment", make=_attachment),
        why="an attachment of a published article",
    ),
    Rule("publicity:events", allow=EVERYONE),
    Rule("publicity:event", allow=EVERYONE, obj=Obj("publicity.Event", published=True)),
    Rule("publicity:desk", allow=STAFF),
    Rule("publicity:article_new", allow=STAFF),
    Rule(
        "publicity:article",
        allow=PROVINCIAL,
        obj=PUBLISHED,
        why="a province article (办公室): the provincial office; city bureaus see their city's",
    ),
    Rule("publicity:article_edit", allow=PROVINCIAL, obj=PUBLISHED),
    Rule("publicity:article_action", allow=PROVINCIAL, obj=PUBLISHED, method="POST"),
    Rule("publicity:event_manage", allow=STAFF),
    Rule(
        "publicity:event_attendance",
        allow=PROVINCIAL | frozenset({"city370100"}),
        obj=Obj("publicity.Event", city_code="370100"),
        why="the demo event is in 济南: the provincial office and 济南's bureau",
    ),
    Rule("publicity:info", allow=STAFF),
    Rule(
        "publicity:info_decide",
        allow=PROVINCE,
        obj=Obj("publicity.InfoSubmission"),
        method="POST",
        why="adoption is the office's (办公室, admin, leader)",
    ),
    Rule("publicity:info_stats", allow=STAFF),
]
