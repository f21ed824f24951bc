from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "ipplatform.finance"
    label = "finance"
    verbose_name = "质押融资与价值评估"
    # Navigation entries (ipplatform.core.navigation.NavItem) this app contributes once its pages exist.
    nav_items: list = []
