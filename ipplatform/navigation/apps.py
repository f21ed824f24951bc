from django.apps import AppConfig


class NavigationConfig(AppConfig):
    name = "ipplatform.navigation"
    label = "navigation"
    verbose_name = "专利导航"
    # Navigation entries (ipplatform.core.navigation.NavItem) this app contributes once its pages exist.
    nav_items: list = []
