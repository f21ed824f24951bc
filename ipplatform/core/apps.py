from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save


class CoreConfig(AppConfig):
    name = "ipplatform.core"
    label = "core"
    verbose_name = "平台基础"
    nav_items: list = []

    def ready(self):
        from django.apps import apps as django_apps

        if django_apps.is_installed("axes"):
            django_apps.get_app_config(
                "axes"
            ).verbose_name = "登录锁定"  # the admin section's title (axes has no zh-hans)
        from django.contrib.auth import signals as auth_signals
        from django_fsm.signals import post_transition

        from . import audit, signals, textguard, workflow
        from .enums import Role
        from .navigation import NavItem

        pre_save.connect(textguard.on_pre_save, dispatch_uid="textguard_pre_save")
        from .models import User

        pre_save.connect(signals.mark_reset_password, sender=User, dispatch_uid="mark_reset_password")
        pre_save.connect(audit.on_pre_save, dispatch_uid="audit_pre_save")
        post_save.connect(audit.on_post_save, dispatch_uid="audit_post_save")
        post_delete.connect(audit.on_post_delete, dispatch_uid="audit_post_delete")
        post_transition.connect(workflow.on_post_transition, dispatch_uid="workflow_history")
        auth_signals.user_logged_in.connect(signals.on_login, dispatch_uid="audit_login")
        auth_signals.user_logged_out.connect(signals.on_logout, dispatch_uid="audit_logout")
        auth_signals.user_login_failed.connect(signals.on_login_failed, dispatch_uid="audit_login_failed")

        admins = frozenset({Role.PROVINCE_ADMIN, Role.PROVINCE_LEADER})
        self.nav_items = [
            NavItem("审计日志", "core:audit", "登录、修改、流程流转的全部留痕，可导出", roles=admins, group="系统管理"),
            NavItem(
                "机构与用户",
                "admin:index",
                "管理省局处室、市县局、企业、高校、银行等机构和账号",
                roles=frozenset({Role.PROVINCE_ADMIN}),
                group="系统管理",
            ),
            NavItem("IPC分类表", "core:ipc", "国际专利分类中英文对照，逐级浏览", group="参考数据", public=True),
            NavItem(
                "行政区划与人口", "core:regions", "GB/T 2260 区划代码（2014-2016）及人口普查数据", group="参考数据"
            ),
            NavItem("站内通知", "core:notifications", "期限提醒、督办通知等", group="个人"),
        ]
