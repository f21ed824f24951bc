from django.contrib.syndication.views import Feed
from django.urls import reverse

from ipplatform.lib import markup

from . import services
from .enums import Category


class LatestArticles(Feed):
    """RSS 2.0 feed of published news and notices (optionally one column: ?category=notice)."""

    title = "山东省知识产权局 · 新闻公告"
    description = "通知公告、工作动态、政策法规、媒体报道、宣传周"

    def get_object(self, request):
        category = request.GET.get("category", "")
        return category if category in Category.values else ""

    def link(self, obj):
        return reverse("publicity:public_list")

    def items(self, obj):
        return services.public_articles(category=obj)[:30]

    def item_title(self, item):
        return f"[{item.get_category_display()}] {item.title}"

    def item_description(self, item):
        return item.summary or markup.plain(item.body, 200)

    def item_link(self, item):
        return reverse("publicity:public_detail", args=[item.pk])

    def item_pubdate(self, item):
        return item.publish_at
