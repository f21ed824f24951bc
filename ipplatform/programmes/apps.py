from django.apps import AppConfig

from ipplatform.core.enums import PROVINCE_ROLES, Role


class ProgrammesConfig(AppConfig):
    name = "ipplatform.programmes"
    label = "programmes"
    verbose_name = "项目申报与评审"
    nav_items: list = []

    def ready(self):
        from ipplatform.core.navigation import NavItem

        self.nav_items = [
            NavItem(
                "项目申报",
                "programmes:index",
                "专利资助、省专利奖等年度申报：申报、属地初审、形式审查、专家评审、公示、决定与集中兑付",
                roles=frozenset(set(Role) - {Role.PUBLIC}),
                group="项目与资金",
            ),
            NavItem(
                "项目类型配置",
                "programmes:types",
                "各项目的申报表、附件、申报条件、办理环节、评审指标和决定产出（省局）",
                roles=frozenset(PROVINCE_ROLES),
                group="项目与资金",
            ),
        ]
