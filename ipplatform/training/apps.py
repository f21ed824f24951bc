from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "ipplatform.training"
    label = "training"
    verbose_name = "远程教育与培训"
    nav_items: list = []

    def ready(self):
        from ipplatform.core.navigation import NavItem

        from .services import MANAGER_ROLES, RECORD_VIEWER_ROLES

        self.nav_items = [
            NavItem("课程中心", "training:index", "按面向对象和主题浏览课程：视频、文档、图文章节，报名学习"),
            NavItem("我的学习", "training:mine", "学习任务与期限、学习进度、考试记录、结业证书和本人学时"),
            NavItem(
                "培训统计",
                "training:records",
                "个人年度学时（代理师继续教育、执法培训），按城市、单位、课程统计，导出Excel",
                roles=RECORD_VIEWER_ROLES,
            ),
            NavItem("培训班与基地", "training:classes", "线下培训班、培训基地与考勤", roles=RECORD_VIEWER_ROLES),
            NavItem(
                "课程与考试管理",
                "training:manage",
                "课程、章节、学习任务指派、报名审核、题库与考试",
                roles=MANAGER_ROLES,
            ),
            NavItem("证书验证", "training:verify", "输入验证码查验结业证书真伪", public=True),
        ]
