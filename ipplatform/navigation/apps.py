from django.apps import AppConfig


class NavigationConfig(AppConfig):
    name = "ipplatform.navigation"
    label = "navigation"
    verbose_name = "专利导航"
    nav_items: list = []

    def ready(self):
        from ipplatform.core.enums import Role
        from ipplatform.core.navigation import NavItem
        from ipplatform.patents.signals import patents_changed

        from .services import on_patents_changed

        patents_changed.connect(on_patents_changed, dispatch_uid="navigation.on_patents_changed")
        analysts = frozenset(r for r in Role if r != Role.PUBLIC)
        self.nav_items = [
            NavItem(
                "专题库", "navigation:index", "按检索式、IPC和技术领域建立专题数据库，预置重点产业专题", roles=analysts
            ),
            NavItem(
                "导航分析",
                "navigation:analyze",
                "趋势、生命周期、技术构成、申请人、地域、功效矩阵等分析",
                roles=analysts,
            ),
            NavItem("导航报告", "navigation:reports", "选择分析项并撰写评述，导出Word和Excel报告", roles=analysts),
        ]
