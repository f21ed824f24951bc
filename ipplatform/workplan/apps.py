from django.apps import AppConfig


class WorkplanConfig(AppConfig):
    name = "ipplatform.workplan"
    label = "workplan"
    verbose_name = "工作要点督导"
    # Navigation entries (ipplatform.core.navigation.NavItem) this app contributes once its pages exist.
    nav_items: list = []
