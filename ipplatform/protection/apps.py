from django.apps import AppConfig

from ipplatform.core.enums import Role

STAFF = frozenset(
    {Role.PROVINCE_ADMIN, Role.PROVINCE_LEADER, Role.DEPARTMENT_STAFF, Role.CITY_OFFICER, Role.COUNTY_OFFICER}
)


class ProtectionConfig(AppConfig):
    name = "ipplatform.protection"
    label = "protection"
    verbose_name = "维权援助与执法"
    todo_providers = ("ipplatform.protection.services.todo_for",)

    def ready(self):
        from ipplatform.core.navigation import NavItem

        self.nav_items = [
            NavItem(
                "12330投诉举报",
                "protection:intake_public",
                "网上提交投诉、举报、维权援助申请和咨询，无需登录",
                public=True,
            ),
            NavItem("办理进度查询", "protection:track", "凭查询编号和查询码查看办理进度", public=True),
            NavItem("维权执法案件", "protection:case_list", "侵权纠纷裁决、假冒专利查处、电商投诉、移送公安"),
            NavItem(
                "12330受理登记", "protection:intake_list", "电话、来信、来访、网上诉求的登记、分派与答复", roles=STAFF
            ),
            NavItem(
                "办案期限看板", "protection:board", "按承办人、城市、处室查看即将到期、已超期、中止的期限", roles=STAFF
            ),
            NavItem(
                "全过程记录校验", "protection:evidence_verify", "核对每个证据文件的摘要和记录链完整性", roles=STAFF
            ),
            NavItem("侵权判定专家库", "protection:experts", "按技术领域查找专家，发起咨询", roles=STAFF),
            NavItem(
                "专家咨询",
                "protection:consultations",
                "专家答复侵权判定咨询、声明利益冲突",
                roles=STAFF | {Role.EXPERT},
            ),
            NavItem("案件统计", "protection:stats", "按类型、城市、月份、结果和办理时长统计，可导出Excel", roles=STAFF),
            NavItem("期限规则与文书模板", "protection:rules", "法定期限、法律依据和标准文书模板", roles=STAFF),
        ]
