from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "ipplatform.orgs"
    label = "orgs"
    verbose_name = "企业与服务机构库"
    nav_items: list = []

    def ready(self):
        from ipplatform.core.enums import STAFF_ROLES, Role
        from ipplatform.core.navigation import NavItem

        members = frozenset({Role.ENTERPRISE_USER, Role.UNIVERSITY_USER, Role.AGENCY_USER, Role.FINANCE_USER})
        self.nav_items = [
            NavItem(
                "机构注册",
                "orgs:register",
                "企业、高校、服务机构自助注册，由所在市局核验",
                roles=frozenset({Role.PUBLIC}),
                public=True,
                group="机构库",
            ),
            NavItem(
                "本单位", "orgs:mine", "本单位信息、曾用名、申请人名称认领与专利组合", roles=members, group="机构库"
            ),
            NavItem(
                "机构库", "orgs:list", "企业与服务机构登记、核验、批量导入、查重", roles=STAFF_ROLES, group="机构库"
            ),
            NavItem("认领核验", "orgs:claims", "申请人名称认领与证明材料核验", roles=STAFF_ROLES, group="机构库"),
            NavItem(
                "年费监控",
                "orgs:fees",
                "年费缴纳期限、滞纳期提醒与失效风险清单",
                roles=STAFF_ROLES | frozenset({Role.ENTERPRISE_USER, Role.UNIVERSITY_USER, Role.AGENCY_USER}),
                group="机构库",
            ),
            NavItem(
                "专利托管",
                "orgs:custody_list",
                "代理机构托管小微企业专利：合同、提醒与统计",
                roles=STAFF_ROLES | frozenset({Role.ENTERPRISE_USER, Role.AGENCY_USER}),
                group="机构库",
            ),
        ]
