from django.apps import AppConfig

from ipplatform.core.enums import Role

STAFF = frozenset(
    {Role.PROVINCE_ADMIN, Role.PROVINCE_LEADER, Role.DEPARTMENT_STAFF, Role.CITY_OFFICER, Role.COUNTY_OFFICER}
)
ORG_USERS = frozenset({Role.ENTERPRISE_USER, Role.UNIVERSITY_USER, Role.AGENCY_USER})


class CreditConfig(AppConfig):
    name = "ipplatform.credit"
    label = "credit"
    verbose_name = "知识产权信用"
    nav_items: list = []
    todo_providers = ("ipplatform.credit.services.todo_for",)

    def ready(self):
        from ipplatform.core.navigation import NavItem

        from . import signals

        signals.connect()
        self.nav_items = [
            NavItem(
                "知识产权信用",
                "credit:index",
                "辖区主体的信用分、计分理由与证据；登记信用事件",
                roles=STAFF,
                group="企业与服务机构",
            ),
            NavItem(
                "本单位信用",
                "credit:mine",
                "本单位的知识产权信用分、计分理由和名单状态",
                roles=ORG_USERS,
                group="企业与服务机构",
            ),
            NavItem("严重失信主体名单", "credit:list", "列入、公示、异议、信用修复与移出", group="企业与服务机构"),
        ]
