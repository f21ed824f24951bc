from django.apps import AppConfig


class MarketConfig(AppConfig):
    name = "ipplatform.market"
    label = "market"
    verbose_name = "展示交易"
    nav_items: list = []

    def ready(self):
        from ipplatform.core.enums import PROVINCE_ROLES, STAFF_ROLES, Role
        from ipplatform.core.navigation import NavItem

        holders = frozenset({Role.ENTERPRISE_USER, Role.UNIVERSITY_USER})
        self.nav_items = [
            NavItem("专利技术展示", "market:showcase", "按产业、地市、交易中心浏览挂牌专利", public=True),
            NavItem("开放许可", "market:open_list", "专利开放许可声明，在线实施并支付许可费", public=True),
            NavItem("交易活动", "market:event_list", "专利交易会、对接会及报名", public=True),
            NavItem("技术需求", "market:demand_list", "企业技术需求与专利匹配"),
            NavItem(
                "我的交易市场",
                "market:mine",
                "本单位的挂牌、需求、交易和许可",
                roles=holders | frozenset({Role.PROVINCE_ADMIN}),
            ),
            NavItem("交易台账", "market:deal_list", "洽询、谈判、合同、登记备案全过程"),
            NavItem(
                "市场统计",
                "market:stats",
                "挂牌、需求、交易、金额按地市/领域/月份统计，可导出Excel",
                roles=STAFF_ROLES | PROVINCE_ROLES,
            ),
        ]
