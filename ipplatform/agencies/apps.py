from django.apps import AppConfig

from ipplatform.core.enums import Role

STAFF = frozenset(
    {Role.PROVINCE_ADMIN, Role.PROVINCE_LEADER, Role.DEPARTMENT_STAFF, Role.CITY_OFFICER, Role.COUNTY_OFFICER}
)
MEMBERS = frozenset({Role.ENTERPRISE_USER, Role.UNIVERSITY_USER, Role.AGENCY_USER})


class AgenciesConfig(AppConfig):
    name = "ipplatform.agencies"
    label = "agencies"
    verbose_name = "专利代理与保护组织"
    nav_items: list = []

    def ready(self):
        from ipplatform.core.navigation import NavItem

        self.nav_items = [
            NavItem(
                "专利代理机构",
                "agencies:index",
                "代理机构名录、分支机构、代理师、继续教育、代理量与授权率、信用评价",
                roles=STAFF | {Role.AGENCY_USER},
                group="企业与服务机构",
            ),
            NavItem(
                "保护联盟",
                "agencies:alliances",
                "产业知识产权保护联盟：成员、牵头单位、共享资源与协议",
                roles=STAFF | MEMBERS,
                group="企业与服务机构",
            ),
            NavItem(
                "重点保护单位",
                "agencies:units",
                "知识产权重点保护单位的认定、有效期与依据；其投诉优先办理",
                roles=STAFF | MEMBERS,
                group="企业与服务机构",
            ),
        ]
