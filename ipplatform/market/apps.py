from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "ipplatform.market"
    label = "market"
    verbose_name = "展示交易"
    # Navigation entries (ipplatform.core.navigation.NavItem) this app contributes once its pages exist.
    nav_items: list = []
