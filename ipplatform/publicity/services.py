"""Publicity rules: who drafts, reviews and publishes news and notices; scheduled publication; public listings and
search; event registration and attendance; 政务信息报送 adoption counts."""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ipplatform.core import regions, scopes
from ipplatform.core.enums import STAFF_ROLES, Role
from ipplatform.core.inputs import InputError
from ipplatform.core.workflow import run_transition

from .enums import ArticleState, SubmissionState
from .models import Article, ArticleAttachment, Event, InfoSubmission, Registration

EDITOR_ROLES = STAFF_ROLES
SUBMITTER_ROLES = frozenset({Role.DEPARTMENT_STAFF, Role.CITY_OFFICER, Role.COUNTY_OFFICER})
ATTACHMENT_SUFFIXES = {
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".ppt",
    ".pptx",
    ".jpg",
    ".jpeg",
    ".png",
    ".zip",
    ".txt",
    ".wps",
    ".ofd",
}
ATTACHMENT_MAX = 20 * 1024 * 1024
PHONE = re.compile(r"^1\d{10}$")


def now():
    return timezone.now()


def is_office(user) -> bool:
    """The provincial office's publishing authority: administrators, leaders and 办公室 staff."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.role in (Role.PROVINCE_ADMIN, Role.PROVINCE_LEADER):
        return True
    return (
        user.role == Role.DEPARTMENT_STAFF
        and user.organization is not None
        and user.organization.name.endswith("办公室")
    )


def require_editor(user) -> None:
    scopes.require_roles(user, EDITOR_ROLES, "只有省局、市局和县局工作人员可以撰写新闻公告")


def can_review(user, article: Article) -> bool:
    """Province articles are reviewed by the office; a city's articles by the office or that city's bureau; never by the author."""
    if not user.is_authenticated or article.author_id == user.pk:
        return False
    if is_office(user):
        return True
    if user.role == Role.CITY_OFFICER and user.organization:
        city = regions.city_code_of(user.organization.region_code)
        return bool(city) and regions.city_code_of(article.city_code) == city
    return False


# ---------------------------------------------------------------- articles


def public_articles(*, category: str = "", q: str = "", city: str = ""):
    """Articles visible to everyone: approved and past their publication time."""
    qs = Article.objects.filter(state=ArticleState.PUBLISHED, publish_at__lte=now())
    if category:
        qs = qs.filter(category=category)
    if city:
        qs = qs.filter(city_code__startswith=city[:4])
    for term in (q or "").split()[:5]:
        qs = qs.filter(Q(title__icontains=term) | Q(body__icontains=term) | Q(summary__icontains=term))
    return qs.order_by("-publish_at", "-pk")


def editable_articles(*, user):
    """Articles in the editor's scope (own drafts, their unit's and city's), for the editing desk."""
    return scopes.restrict(Article.objects.select_related("author", "organization"), user).order_by("-updated_at")


def get_editable(*, user, pk: int) -> Article:
    require_editor(user)
    return scopes.get_in_scope(Article.objects.all(), user, pk=pk)


def _city_of(user) -> str:
    if user.role in (Role.CITY_OFFICER, Role.COUNTY_OFFICER) and user.organization:
        return regions.city_code_of(user.organization.region_code)
    return ""


def save_article(*, user, article: Article | None, data: dict) -> Article:
    """Create or update a draft; only drafts can be edited."""
    require_editor(user)
    if article is not None and article.state != ArticleState.DRAFT:
        raise InputError(f"“{article.get_state_display()}”状态的稿件不能修改，请先撤回或退回", field="state")
    if article is None:
        article = Article(author=user, organization=user.organization, city_code=_city_of(user))
    for key in ("category", "title", "summary", "body", "source", "publish_at"):
        if key in data:
            setattr(article, key, data[key])
    article.save()
    return article


def add_attachment(*, user, article: Article, upload) -> ArticleAttachment:
    """Attach a file (20 MB, office/PDF/image/archive types) to a draft."""
    if article.state != ArticleState.DRAFT:
        raise InputError("只能给草稿添加附件", field="file")
    suffix = Path(upload.name).suffix.lower()
    if suffix not in ATTACHMENT_SUFFIXES:
        raise InputError(
            f"附件“{upload.name}”类型不支持，可上传：{'、'.join(sorted(ATTACHMENT_SUFFIXES))}", field="file"
        )
    if upload.size > ATTACHMENT_MAX:
        raise InputError(f"附件“{upload.name}”超过20MB上限", field="file")
    att = ArticleAttachment(article=article, name=Path(upload.name).name[:200], size=upload.size)
    att.file.save(f"{secrets.token_hex(6)}{suffix}", upload, save=False)
    att.save()
    return att


@transaction.atomic
def transition(*, user, article: Article, action: str, reason: str = "") -> Article:
    """submit / approve / reject / withdraw / revise, each checked against who may do it."""
    if action == "submit":
        require_editor(user)
        if not scopes.can_access(user, article):
            raise PermissionDenied("无权提交该稿件")
        if not article.title.strip() or not article.body.strip():
            raise InputError("标题和正文不能为空", field="body")
    elif action in ("approve", "reject"):
        if not can_review(user, article):
            raise PermissionDenied(
                "您不能审核该稿件（撰稿人不能审核本人稿件；省局稿件由办公室审核，市局稿件由本市或省局办公室审核）"
            )
        if action == "reject" and not reason.strip():
            raise InputError("退回须写明理由", field="reason")
    elif action in ("withdraw", "revise"):
        if not (can_review(user, article) or article.author_id == user.pk):
            raise PermissionDenied("只有撰稿人或审核人可以撤回或重新编辑")
    else:
        raise InputError(f"未知操作“{action}”", field="action")
    article = Article.objects.select_for_update().get(pk=article.pk)
    run_transition(article, action, by=user, reason=reason)
    fields = ["state", "updated_at"]
    if action == "approve":
        article.reviewed_by = user
        article.published_at = now()
        if article.publish_at is None or article.publish_at < article.published_at:
            article.publish_at = article.published_at
        fields += ["reviewed_by", "published_at", "publish_at"]
    article.save(update_fields=fields)
    return article


def is_public(article: Article) -> bool:
    return article.state == ArticleState.PUBLISHED and article.publish_at is not None and article.publish_at <= now()


def review_queue(*, user):
    """Articles waiting for this user's review."""
    return [
        a for a in Article.objects.filter(state=ArticleState.REVIEW).select_related("author") if can_review(user, a)
    ]


# ---------------------------------------------------------------- events


def new_registration_code() -> str:
    return "HD" + "".join(secrets.choice("23456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(8))


@transaction.atomic
def register(*, event: Event, name: str, phone: str, organization_name: str = "", user=None) -> Registration:
    """Register for an event before its deadline and while places are left; one registration per mobile number."""
    name, phone = (name or "").strip(), (phone or "").strip()
    if not event.published:
        raise InputError("该活动未开放报名", field="event")
    if now() > event.registration_deadline:
        raise InputError(f"报名已于{timezone.localtime(event.registration_deadline):%Y-%m-%d %H:%M}截止", field="event")
    if not name or len(name) > 60:
        raise InputError("请填写姓名（不超过60字）", field="name")
    if not PHONE.match(phone):
        raise InputError("手机号应为11位数字，以1开头", field="phone")
    Event.objects.select_for_update().get(pk=event.pk)
    if Registration.objects.filter(event=event, phone=phone).exists():
        raise InputError("该手机号已报名本活动", field="phone")
    if event.registrations.count() >= event.capacity:
        raise InputError(f"名额已满（{event.capacity}人）", field="event")
    return Registration.objects.create(
        event=event,
        user=user if user and user.is_authenticated else None,
        name=name,
        phone=phone,
        organization_name=(organization_name or "").strip()[:200],
        code=new_registration_code(),
    )


def check_in(*, user, registration: Registration, attended: bool = True) -> Registration:
    """Staff record attendance for a registration in their scope."""
    require_editor(user)
    scopes.require_in_scope(user, registration.event)
    registration.attended = attended
    registration.checked_in_at = now() if attended else None
    registration.save(update_fields=["attended", "checked_in_at"])
    return registration


# ---------------------------------------------------------------- 政务信息报送


def submit_info(*, user, title: str, body: str) -> InfoSubmission:
    """A city bureau, county bureau or department submits an information item."""
    scopes.require_roles(user, SUBMITTER_ROLES, "只有市局、县局和省局处室可以报送政务信息")
    if user.organization is None:
        raise InputError("您的账号没有所属单位，不能报送", field="unit")
    title, body = (title or "").strip(), (body or "").strip()
    if not title or len(title) > 200:
        raise InputError("请填写标题（不超过200字）", field="title")
    if len(body) < 20:
        raise InputError("内容不少于20字", field="body")
    return InfoSubmission.objects.create(
        title=title, body=body[:20000], unit=user.organization, submitted_by=user, year=timezone.localdate().year
    )


@transaction.atomic
def decide_info(*, user, item: InfoSubmission, adopt: bool, level: str = "", reason: str = "") -> InfoSubmission:
    """The office adopts (at a level) or declines a submitted item."""
    if not is_office(user):
        raise PermissionDenied("只有省局办公室可以采用政务信息")
    from .enums import AdoptionLevel

    if adopt and level not in AdoptionLevel.values:
        raise InputError("请选择采用级别", field="level")
    item = InfoSubmission.objects.select_for_update().get(pk=item.pk)
    run_transition(item, "adopt" if adopt else "decline", by=user, reason=reason)
    item.level = level if adopt else ""
    item.decided_by = user
    item.decided_at = now()
    item.save(update_fields=["state", "level", "decided_by", "decided_at"])
    return item


def adoption_counts(*, user, year: int) -> list[dict]:
    """Submitted and adopted items per unit in a year (by adoption level), for the annual assessment."""
    qs = scopes.restrict(InfoSubmission.objects.filter(year=year), user)
    rows: dict = defaultdict(lambda: {"submitted": 0, "adopted": 0, "office": 0, "province": 0, "national": 0})
    names = {}
    for r in qs.values("unit_id", "unit__name", "unit__region_code", "state", "level").annotate(n=Count("pk")):
        row = rows[r["unit_id"]]
        names[r["unit_id"]] = (r["unit__name"], r["unit__region_code"])
        row["submitted"] += r["n"]
        if r["state"] == SubmissionState.ADOPTED:
            row["adopted"] += r["n"]
            row[r["level"]] += r["n"]
    out = []
    for unit_id, row in rows.items():
        name, code = names[unit_id]
        out.append(
            {
                "unit": name,
                "city": regions.name_of(regions.city_code_of(code) or code) if code else "省直",
                **row,
                "rate": round(row["adopted"] * 100 / row["submitted"], 1) if row["submitted"] else 0,
            }
        )
    return sorted(out, key=lambda r: (-r["adopted"], -r["submitted"], r["unit"]))
