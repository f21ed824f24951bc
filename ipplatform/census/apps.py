from django.apps import AppConfig

from ipplatform.core.enums import Role


class CensusConfig(AppConfig):
    name = "ipplatform.census"
    label = "census"
    verbose_name = "企业知识产权状况普查"
    nav_items: list = []

    def ready(self):
        from ipplatform.core.navigation import NavItem

        self.nav_items = [
            NavItem(
                "知识产权普查",
                "census:index",
                "省局或市局向企业发出普查问卷，在线或Excel填报，催报，按市查看完成情况，按城市、行业、规模汇总并导出Excel和Word报告",
                roles=frozenset(
                    {
                        Role.PROVINCE_ADMIN,
                        Role.PROVINCE_LEADER,
                        Role.DEPARTMENT_STAFF,
                        Role.CITY_OFFICER,
                        Role.COUNTY_OFFICER,
                        Role.ENTERPRISE_USER,
                        Role.UNIVERSITY_USER,
                    }
                ),
                group="企业与服务机构",
            ),
        ]
