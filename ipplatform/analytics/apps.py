from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "ipplatform.analytics"
    label = "analytics"
    verbose_name = "统计监测"
    nav_items: list = []
    cockpit_providers = ("ipplatform.analytics.cockpit.section",)

    def ready(self):
        from ipplatform.core.enums import PROVINCE_ROLES, STAFF_ROLES, Role
        from ipplatform.core.navigation import NavItem
        from ipplatform.patents.signals import patents_changed

        from .aggregates import on_patents_changed

        patents_changed.connect(on_patents_changed, dispatch_uid="analytics_refresh")
        # cached statistics (core.cache namespace "stats") follow the records (after the aggregates above) and the
        # official figures: population and this app's own tables (weights, targets, official statistics)
        from django.db.models.signals import post_delete, post_save

        from ipplatform.core import cache

        patents_changed.connect(
            cache.invalidating_receiver("stats"), dispatch_uid="analytics_cache_records", weak=False
        )
        official = cache.invalidating_receiver(
            "stats",
            # the derived tables are left out: they change with the records (patents_changed, above) or in a
            # rebuild, which invalidates once when it is done instead of once per deleted row
            when=lambda m: (
                m._meta.app_label == "analytics"
                and m.__name__ not in ("StatReport", "PatentFact", "YearBucket", "MonthBucket")
                or m._meta.label in ("core.Population", "core.OfficialFigure")
            ),
        )
        post_save.connect(official, dispatch_uid="analytics_cache_official_save", weak=False)
        post_delete.connect(official, dispatch_uid="analytics_cache_official_delete", weak=False)
        city_roles = frozenset({Role.CITY_OFFICER, Role.COUNTY_OFFICER})
        self.nav_items = [
            NavItem(
                "全省统计监测",
                "analytics:province",
                "全省专利申请、授权、有效量与年度目标，17市地图与排名",
                roles=PROVINCE_ROLES,
            ),
            NavItem("本市统计监测", "analytics:my_city", "本市专利统计、年度目标与在全省的位次", roles=city_roles),
            NavItem(
                "区域发展评价",
                "analytics:comparison",
                "区域知识产权发展状况分析评价：各市综合指数与变化",
                roles=PROVINCE_ROLES,
            ),
            NavItem(
                "官方统计数据",
                "analytics:official",
                "国家知识产权局与省局公布的专利统计数（来源、期间），平台记录覆盖率的依据",
                roles=STAFF_ROLES,
            ),
            NavItem("统计分析报告", "analytics:reports", "年度专利统计分析报告（Word）生成与下载", roles=STAFF_ROLES),
        ]
