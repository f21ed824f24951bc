from django.apps import AppConfig


class PatentsConfig(AppConfig):
    name = "ipplatform.patents"
    label = "patents"
    verbose_name = "专利数据"
    # Navigation entries (ipplatform.core.navigation.NavItem) this app contributes once its pages exist.
    nav_items: list = []
