from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "ipplatform.protection"
    label = "protection"
    verbose_name = "维权援助与执法"
    # Navigation entries (ipplatform.core.navigation.NavItem) this app contributes once its pages exist.
    nav_items: list = []
