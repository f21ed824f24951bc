from django.db import models


class OrgKind(models.TextChoices):
    PROVINCE_OFFICE = "province_office", "省知识产权局"
    DEPARTMENT = "department", "省局处室/直属单位"
    CITY_BUREAU = "city_bureau", "市知识产权局"
    COUNTY_BUREAU = "county_bureau", "县（市、区）知识产权局"
    ENTERPRISE = "enterprise", "企业"
    UNIVERSITY = "university", "高等院校"
    INSTITUTE = "institute", "科研院所"
    AGENCY = "agency", "专利代理机构"
    BANK = "bank", "银行"
    INSURER = "insurer", "保险机构"
    GUARANTOR = "guarantor", "担保机构"
    VALUER = "valuer", "评估机构"
    CERTIFIER = "certifier", "认证机构"
    ASSOCIATION = "association", "行业协会"
    TRADING_CENTER = "trading_center", "专利技术展示交易中心"
    PARTNER_AGENCY = "partner_agency", "协作执法部门（公安、市场监管、海关等）"
    OTHER = "other", "其他"


class SizeClass(models.TextChoices):
    """Enterprise size (统计上大中小微型企业划分办法（2017）); thresholds in data/orgs/size_criteria.csv."""

    LARGE = "large", "大型"
    MEDIUM = "medium", "中型"
    SMALL = "small", "小型"
    MICRO = "micro", "微型"


class Role(models.TextChoices):
    PROVINCE_ADMIN = "province_admin", "省局系统管理员"
    PROVINCE_LEADER = "province_leader", "省局领导"
    DEPARTMENT_STAFF = "department_staff", "省局处室工作人员"
    CITY_OFFICER = "city_officer", "市局工作人员"
    COUNTY_OFFICER = "county_officer", "县局工作人员"
    ENTERPRISE_USER = "enterprise_user", "企业用户"
    UNIVERSITY_USER = "university_user", "高校/科研院所用户"
    AGENCY_USER = "agency_user", "专利代理机构用户"
    FINANCE_USER = "finance_user", "银行/保险/担保机构用户"
    EXPERT = "expert", "专家"
    PUBLIC = "public", "社会公众"


class ScopeLevel(models.TextChoices):
    PROVINCE = "province", "全省"
    DEPARTMENT = "department", "本处室"
    CITY = "city", "本市（含所辖县区）"
    COUNTY = "county", "本县（区）"
    ORGANIZATION = "organization", "本单位"
    OWN = "own", "本人"


ROLE_SCOPE = {
    Role.PROVINCE_ADMIN: ScopeLevel.PROVINCE,
    Role.PROVINCE_LEADER: ScopeLevel.PROVINCE,
    Role.DEPARTMENT_STAFF: ScopeLevel.DEPARTMENT,
    Role.CITY_OFFICER: ScopeLevel.CITY,
    Role.COUNTY_OFFICER: ScopeLevel.COUNTY,
    Role.ENTERPRISE_USER: ScopeLevel.ORGANIZATION,
    Role.UNIVERSITY_USER: ScopeLevel.ORGANIZATION,
    Role.AGENCY_USER: ScopeLevel.ORGANIZATION,
    Role.FINANCE_USER: ScopeLevel.ORGANIZATION,
    Role.EXPERT: ScopeLevel.OWN,
    Role.PUBLIC: ScopeLevel.OWN,
}

# Roles of government staff (provincial office, city and county bureaus).
STAFF_ROLES = frozenset(
    {Role.PROVINCE_ADMIN, Role.PROVINCE_LEADER, Role.DEPARTMENT_STAFF, Role.CITY_OFFICER, Role.COUNTY_OFFICER}
)
PROVINCE_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.PROVINCE_LEADER, Role.DEPARTMENT_STAFF})

# The organisation kind a user of each role belongs to (checked when accounts are created).
ROLE_ORG_KINDS = {
    Role.PROVINCE_ADMIN: {OrgKind.PROVINCE_OFFICE, OrgKind.DEPARTMENT},
    Role.PROVINCE_LEADER: {OrgKind.PROVINCE_OFFICE},
    Role.DEPARTMENT_STAFF: {OrgKind.DEPARTMENT},
    Role.CITY_OFFICER: {OrgKind.CITY_BUREAU},
    Role.COUNTY_OFFICER: {OrgKind.COUNTY_BUREAU},
    Role.ENTERPRISE_USER: {OrgKind.ENTERPRISE},
    Role.UNIVERSITY_USER: {OrgKind.UNIVERSITY, OrgKind.INSTITUTE},
    Role.AGENCY_USER: {OrgKind.AGENCY},
    Role.FINANCE_USER: {OrgKind.BANK, OrgKind.INSURER, OrgKind.GUARANTOR, OrgKind.VALUER},
    Role.EXPERT: None,  # any or none
    Role.PUBLIC: None,
}


class AuditAction(models.TextChoices):
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOGOUT = "logout", "退出"
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    TRANSITION = "transition", "流程流转"
    IMPORT = "import", "导入"
    EXPORT = "export", "导出"
    OTHER = "other", "其他"


class JobStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "运行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"
