from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "ipplatform.publicity"
    label = "publicity"
    verbose_name = "宣传与政务信息"
    nav_items: list = []

    def ready(self):
        from ipplatform.core.enums import STAFF_ROLES, Role
        from ipplatform.core.navigation import NavItem

        info_roles = frozenset(
            {Role.PROVINCE_ADMIN, Role.PROVINCE_LEADER, Role.DEPARTMENT_STAFF, Role.CITY_OFFICER, Role.COUNTY_OFFICER}
        )
        self.nav_items = [
            NavItem("新闻公告", "publicity:public_list", "通知公告、工作动态、政策法规、媒体报道、宣传周", public=True),
            NavItem("宣传活动", "publicity:events", "宣传周、专利周等活动与在线报名", public=True),
            NavItem(
                "稿件编辑与审核",
                "publicity:desk",
                "撰写新闻公告（离线可用的Markdown编辑器）、附件、送审、定时发布",
                roles=STAFF_ROLES,
            ),
            NavItem("活动管理", "publicity:event_manage", "发布活动、查看报名、现场签到", roles=STAFF_ROLES),
            NavItem("政务信息报送", "publicity:info", "市县局和处室报送政务信息，省局办公室采用", roles=info_roles),
            NavItem("信息采用统计", "publicity:info_stats", "各单位年度报送与采用条数（年度考核）", roles=info_roles),
        ]
