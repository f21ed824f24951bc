from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "ipplatform.portal"
    label = "portal"
    verbose_name = "门户网站"
    nav_items: list = []

    def ready(self):
        from ipplatform.core.navigation import NavItem

        self.nav_items = [
            NavItem(
                "门户首页",
                "portal:index",
                "面向社会公众的门户：新闻公告、12330举报投诉、展示交易、培训、公开统计、17市子站和专题平台",
                public=True,
            ),
        ]
