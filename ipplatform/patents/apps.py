from django.apps import AppConfig


class PatentsConfig(AppConfig):
    name = "ipplatform.patents"
    label = "patents"
    verbose_name = "专利数据"
    # Navigation entries (ipplatform.core.navigation.NavItem), set in ready().
    nav_items: list = []

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from ipplatform.core.enums import PROVINCE_ROLES, STAFF_ROLES
        from ipplatform.core.navigation import NavItem

        from . import signals
        from .models import Patent

        post_save.connect(signals.on_patent_saved, sender=Patent, dispatch_uid="patents.patent_saved")
        post_delete.connect(signals.on_patent_deleted, sender=Patent, dispatch_uid="patents.patent_deleted")
        staff, province = frozenset(STAFF_ROLES), frozenset(PROVINCE_ROLES)
        group = "专利数据管理"
        self.nav_items = [
            NavItem(
                "导入专利数据",
                "patents:import",
                "上传国家知识产权局导出、知网列表、公布公告JSONL或通用表格，后台导入并出错误报告",
                roles=province,
                group=group,
            ),
            NavItem("导入记录", "patents:import_history", "每个文件的导入结果、错误报告下载", roles=staff, group=group),
            NavItem(
                "申请人", "patents:applicants", "申请人实体、类型与地区归属（可人工修正）", roles=staff, group=group
            ),
            NavItem(
                "未归属地区的记录",
                "patents:unattributed",
                "无法确定地区的专利记录：数量、原因与清单",
                roles=staff,
                group=group,
            ),
            NavItem("列映射管理", "patents:mappings", "通用CSV/Excel文件的列与字段对应关系", roles=staff, group=group),
        ]
