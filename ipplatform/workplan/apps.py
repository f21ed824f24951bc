from django.apps import AppConfig

from ipplatform.core.enums import Role


class WorkplanConfig(AppConfig):
    name = "ipplatform.workplan"
    label = "workplan"
    verbose_name = "工作要点督导"
    nav_items: list = []
    todo_providers = ("ipplatform.workplan.access.todo_for",)

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from ipplatform.core import cache
        from ipplatform.core.navigation import NavItem

        # the cached board (core.cache namespace "workplan") follows every change of the plan's records and of the
        # organisations whose names and scopes it shows
        changed = cache.invalidating_receiver(
            "workplan", when=lambda m: m._meta.app_label == "workplan" or m._meta.label == "core.Organization"
        )
        post_save.connect(changed, dispatch_uid="workplan_cache_save", weak=False)
        post_delete.connect(changed, dispatch_uid="workplan_cache_delete", weak=False)

        staff = frozenset(
            {Role.PROVINCE_ADMIN, Role.PROVINCE_LEADER, Role.DEPARTMENT_STAFF, Role.CITY_OFFICER, Role.COUNTY_OFFICER}
        )
        self.nav_items = [
            NavItem("工作任务", "workplan:index", "本单位承担的年度工作要点任务：分解节点、报送进展", roles=staff),
            NavItem(
                "督导看板",
                "workplan:board",
                "局领导和办公室查看全部任务、各单位查看本单位任务：按部分和单位查看推进、滞后、未报送、逾期节点；督办；导出Excel和总结",
                roles=staff,
            ),
            NavItem("进展报告", "workplan:reports", "已报送的进展报告（牵头单位可见配合单位报告）", roles=staff),
            NavItem("督办", "workplan:reminders", "督办事项与签收", roles=staff),
            NavItem(
                "导入工作要点",
                "workplan:import",
                "从文本、Word或Excel导入年度工作要点",
                roles=frozenset({Role.PROVINCE_ADMIN}),
            ),
        ]
