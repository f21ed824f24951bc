from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "ipplatform.search"
    label = "search"
    verbose_name = "专利检索"
    # Navigation entries (ipplatform.core.navigation.NavItem) this app contributes once its pages exist.
    nav_items: list = []
