from django.apps import AppConfig

from ipplatform.core.enums import Role

STAFF = frozenset(
    {Role.PROVINCE_ADMIN, Role.PROVINCE_LEADER, Role.DEPARTMENT_STAFF, Role.CITY_OFFICER, Role.COUNTY_OFFICER}
)


class ExpertsConfig(AppConfig):
    name = "ipplatform.experts"
    label = "experts"
    verbose_name = "专家库"
    nav_items: list = []

    def ready(self):
        from ipplatform.core.navigation import NavItem

        self.nav_items = [
            NavItem(
                "专家库",
                "experts:index",
                "全省统一专家库：IPC与国民经济行业领域、工作单位、利益冲突登记；维权、导航、评奖和项目评审共用",
                roles=STAFF | {Role.EXPERT},
                group="企业与服务机构",
            ),
        ]
