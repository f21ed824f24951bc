from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "ipplatform.search"
    label = "search"
    verbose_name = "专利检索"
    nav_items: list = []

    def ready(self):
        from ipplatform.core.enums import PROVINCE_ROLES
        from ipplatform.core.navigation import NavItem
        from ipplatform.patents.signals import patents_changed, register_bulk_hook

        from . import indexer, services

        # Patent documents are published by CNIPA: anyone may search them (public service); history, saved
        # searches, export and the API need an account.
        self.nav_items = [
            NavItem(
                "专利检索",
                "search:search",
                "逻辑检索式、精确中文检索、分面统计与全量导出",
                public=True,
                group="专利信息服务",
            ),
            NavItem(
                "检索语法", "search:help", "字段代码、运算符、截词与邻近算符示例", public=True, group="专利信息服务"
            ),
            NavItem(
                "语义检索",
                "search:semantic",
                "用一段话按含义查找相近专利，可用检索式限定范围",
                public=True,
                group="专利信息服务",
            ),
            NavItem(
                "语义索引",
                "search:semantic_status",
                "语义向量覆盖率、后台计算与索引重建",
                roles=PROVINCE_ROLES,
                group="专利信息服务",
            ),
        ]
        # every change of the patent store, single saves included, reaches the index through patents_changed
        patents_changed.connect(services.on_patents_changed, dispatch_uid="search.patents_changed")
        register_bulk_hook(indexer.session)
        # cached similar-patent lists (core.cache namespace "similar", search.services.patent_detail)
        from ipplatform.core import cache

        patents_changed.connect(cache.invalidating_receiver("similar"), dispatch_uid="search_similar_cache", weak=False)
