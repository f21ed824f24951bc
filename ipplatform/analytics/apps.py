from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "ipplatform.analytics"
    label = "analytics"
    verbose_name = "统计监测"
    # Navigation entries (ipplatform.core.navigation.NavItem) this app contributes once its pages exist.
    nav_items: list = []
