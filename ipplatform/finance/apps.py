from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "ipplatform.finance"
    label = "finance"
    verbose_name = "质押融资与价值评估"
    nav_items: list = []
    todo_providers = ("ipplatform.finance.services.todo_for",)

    def ready(self):
        from . import subsidy_programmes

        subsidy_programmes.register()  # 贴息 and 保险补贴 run on the programme engine with finance's amount rule
        from ipplatform.core.enums import STAFF_ROLES, Role
        from ipplatform.core.navigation import NavItem

        staff = frozenset(STAFF_ROLES)
        enterprise = frozenset({Role.ENTERPRISE_USER, Role.UNIVERSITY_USER})
        finance = frozenset({Role.FINANCE_USER})
        province = frozenset({Role.PROVINCE_ADMIN, Role.PROVINCE_LEADER, Role.DEPARTMENT_STAFF})
        self.nav_items = [
            NavItem("质押融资概览", "finance:home", "待办事项、质押登记与补助概况", roles=staff | enterprise | finance),
            NavItem(
                "专利权质押登记",
                "finance:pledges",
                "银行提交、出质人确认、登记审查（3个工作日）、变更与注销；登记簿可导出",
                roles=staff | enterprise | finance,
            ),
            NavItem(
                "质押统计", "finance:pledge_stats", "按银行、地市、技术领域、月份统计笔数与金额", roles=staff | finance
            ),
            NavItem(
                "专利价值度评估",
                "finance:valuations",
                "PVD = α·LVD + β·TVD + γ·EVD 引导式评分，数据指标同领域同年度归一化，Word报告",
                roles=staff | enterprise | finance | frozenset({Role.EXPERT}),
            ),
            NavItem(
                "价值度模型权重",
                "finance:model_weights",
                "质押、许可、转让场景的权重，按版本管理",
                roles=staff | finance | frozenset({Role.EXPERT}),
            ),
            NavItem(
                "贴息与保费补助",
                "finance:subsidies",
                "质押融资贴息与专利保险补贴（项目申报）：属地初审、公示（5个工作日）、资助决定、集中兑付",
                roles=staff | enterprise,
            ),
            NavItem(
                "补助公示",
                "finance:public_notice",
                "贴息和保险补贴拟支持名单公示（5个工作日），公示期内可在公示页实名提出异议",
                public=True,
            ),
            NavItem("补助政策规则", "finance:rules", "按年度、地区分版本维护的贴息和保费补助规则", roles=staff),
            NavItem(
                "集中兑付",
                "finance:batches",
                "贴息与保险补贴的兑付批次（可与专利资助一并兑付，一家单位一笔），按财务处格式导出",
                roles=province,
            ),
            NavItem(
                "风险补偿资金",
                "finance:fund",
                "覆盖贷款、银行违约报告、按分担比例补偿、资金余额",
                roles=staff | finance,
            ),
        ]
