"""News, notices, events and 政务信息报送 pages (rules in services.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed

from ipplatform.core import audit, regions, scopes
from ipplatform.core.downloads import attachment
from ipplatform.core.enums import AuditAction
from ipplatform.core.inputs import InputError
from ipplatform.core.navigation import Gate, gated, gated_roles
from ipplatform.core.workflow import history
from ipplatform.lib import markup
from ipplatform.lib.xlsx import Sheet, workbook_bytes

from . import services
from .enums import AdoptionLevel, ArticleState, Category
from .forms import ArticleForm, EventForm
from .models import Article, ArticleAttachment, Event, InfoSubmission, Registration

# ---------------------------------------------------------------- public pages


def public_list(request):
    category = request.GET.get("category", "")
    category = category if category in Category.values else ""
    q = request.GET.get("q", "").strip()[:100]
    city = request.GET.get("city", "")[:6]
    page = Paginator(services.public_articles(category=category, q=q, city=city), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "publicity/public_list.html",
        {"page": page, "category": category, "q": q, "Category": Category, "city": city},
    )


def public_detail(request, pk: int):
    article = get_object_or_404(Article, pk=pk)
    if not services.is_public(article):
        if not (request.user.is_authenticated and scopes.can_access(request.user, article)) and not services.can_review(
            request.user, article
        ):
            raise Http404("信息不存在或尚未发布")
    return render(
        request,
        "publicity/public_detail.html",
        {"a": article, "body": markup.render(article.body), "public": services.is_public(article)},
    )


def attachment_download(request, pk: int):
    att = get_object_or_404(ArticleAttachment.objects.select_related("article"), pk=pk)
    article = att.article
    if not services.is_public(article):
        if not request.user.is_authenticated or not (
            scopes.can_access(request.user, article) or services.can_review(request.user, article)
        ):
            raise Http404("附件不存在")
    return FileResponse(att.file.open("rb"), as_attachment=True, filename=att.name)


def event_list(request):
    events = Event.objects.filter(published=True).order_by("-starts_at")[:100]
    return render(request, "publicity/event_list.html", {"events": events, "now": timezone.now()})


def event_detail(request, pk: int):
    event = get_object_or_404(Event, pk=pk, published=True)
    registration = None
    if request.method == "POST":
        try:
            registration = services.register(
                event=event,
                name=request.POST.get("name", ""),
                phone=request.POST.get("phone", ""),
                organization_name=request.POST.get("organization", ""),
                user=request.user,
            )
        except InputError as e:
            messages.error(request, e.message)
    return render(
        request,
        "publicity/event_detail.html",
        {
            "event": event,
            "registration": registration,
            "city": regions.name_of(event.city_code),
            "taken": event.registrations.count(),
        },
    )


# ---------------------------------------------------------------- editing desk


@login_required
@gated_roles(services.EDITOR_ROLES, "只有省局、市局和县局工作人员可以撰写新闻公告")
def desk(request):
    state = request.GET.get("state", "")
    articles = services.editable_articles(user=request.user)
    if state in ArticleState.values:
        articles = articles.filter(state=state)
    return render(
        request,
        "publicity/desk.html",
        {
            "articles": articles[:300],
            "queue": services.review_queue(user=request.user),
            "ArticleState": ArticleState,
            "state": state,
            "office": services.is_office(request.user),
        },
    )


@login_required
def article_edit(request, pk: int | None = None):
    article = services.get_editable(user=request.user, pk=pk) if pk else None
    if article is None:
        services.require_editor(request.user)
    form = ArticleForm(request.POST or None, instance=article or Article())
    if request.method == "POST" and form.is_valid():
        try:
            article = services.save_article(user=request.user, article=article, data=form.cleaned_data)
            for upload in request.FILES.getlist("attachments")[:10]:
                services.add_attachment(user=request.user, article=article, upload=upload)
        except InputError as e:
            messages.error(request, e.message)
            if article is None or article.pk is None:
                return render(request, "publicity/article_form.html", {"form": form, "article": article})
        return redirect("publicity:article", pk=article.pk)
    return render(request, "publicity/article_form.html", {"form": form, "article": article})


@login_required
def article_detail(request, pk: int):
    article = get_object_or_404(Article, pk=pk)
    if not (scopes.can_access(request.user, article) or services.can_review(request.user, article)):
        raise PermissionDenied("无权查看该稿件：超出您的数据范围")
    return render(
        request,
        "publicity/article.html",
        {
            "a": article,
            "body": markup.render(article.body),
            "public": services.is_public(article),
            "history": [
                {
                    "at": h.at,
                    "actor_name": h.actor_label,
                    "source": h.source_label,
                    "target": h.target_label,
                    "reason": h.reason,
                }
                for h in history(article)
            ],
            "can_review": services.can_review(request.user, article),
            "is_author": article.author_id == request.user.pk,
        },
    )


@login_required
@require_POST
def article_action(request, pk: int):
    article = get_object_or_404(Article, pk=pk)
    services.require_editor(request.user)
    if not (scopes.can_access(request.user, article) or services.can_review(request.user, article)):
        raise PermissionDenied("无权处理该稿件：超出您的数据范围")
    try:
        article = services.transition(
            user=request.user,
            article=article,
            action=request.POST.get("action", ""),
            reason=request.POST.get("reason", "")[:500],
        )
        messages.success(
            request,
            f"稿件状态：{article.get_state_display()}"
            + (
                "（定时发布，" + timezone.localtime(article.publish_at).strftime("%Y-%m-%d %H:%M") + "公开）"
                if article.state == ArticleState.PUBLISHED and not services.is_public(article)
                else ""
            ),
        )
    except (InputError, TransitionNotAllowed) as e:
        messages.error(request, getattr(e, "message", str(e)))
    return redirect("publicity:article", pk=pk)


# ---------------------------------------------------------------- events (staff)


@login_required
@gated_roles(services.EDITOR_ROLES, "只有省局、市局和县局工作人员可以撰写新闻公告")
def event_manage(request):
    form = EventForm(request.POST or None, initial={"city_code": services._city_of(request.user)})
    if request.method == "POST" and form.is_valid():
        form.instance.organizer = request.user.organization
        form.instance.created_by = request.user
        form.save()
        return redirect("publicity:event_attendance", pk=form.instance.pk)
    events = scopes.restrict(Event.objects.all(), request.user)[:200]
    return render(request, "publicity/event_manage.html", {"form": form, "events": events})


@login_required
def event_attendance(request, pk: int):
    services.require_editor(request.user)
    event = scopes.get_in_scope(Event.objects.all(), request.user, pk=pk)
    if request.method == "POST":
        reg = get_object_or_404(Registration, pk=request.POST.get("registration") or 0, event=event)
        services.check_in(user=request.user, registration=reg, attended=request.POST.get("attended") == "1")
        return redirect("publicity:event_attendance", pk=pk)
    regs = event.registrations.order_by("created_at")
    if request.GET.get("export") == "xlsx":
        audit.record(AuditAction.EXPORT, obj=event, reason="导出活动报名与签到")
        sheet = Sheet(
            "报名签到",
            ["报名号", "姓名", "单位", "手机", "报名时间", "签到"],
            [
                [
                    r.code,
                    r.name,
                    r.organization_name,
                    r.phone,
                    timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
                    "已签到" if r.attended else "",
                ]
                for r in regs
            ],
        )
        return attachment(workbook_bytes([sheet]), f"活动报名-{event.pk}.xlsx")
    return render(
        request,
        "publicity/event_attendance.html",
        {"event": event, "regs": regs, "attended": regs.filter(attended=True).count()},
    )


# ---------------------------------------------------------------- 政务信息报送


def _year(request) -> int:
    try:
        return min(max(int(request.GET.get("year") or timezone.localdate().year), 2000), 2100)
    except ValueError:
        return timezone.localdate().year


@login_required
@gated(
    Gate(
        lambda u: services.is_office(u) or u.role in services.SUBMITTER_ROLES,
        "只有省局办公室、处室和市县局可以使用政务信息报送",
    )
)
def info_list(request):
    if request.method == "POST":
        try:
            services.submit_info(
                user=request.user, title=request.POST.get("title", ""), body=request.POST.get("body", "")
            )
            messages.success(request, "已报送")
            return redirect("publicity:info")
        except InputError as e:
            messages.error(request, e.message)
    year = _year(request)
    items = scopes.restrict(
        InfoSubmission.objects.filter(year=year).select_related("unit", "submitted_by"), request.user
    )
    return render(
        request,
        "publicity/info_list.html",
        {
            "items": items[:300],
            "year": year,
            "office": services.is_office(request.user),
            "levels": AdoptionLevel.choices,
            "can_submit": request.user.role in services.SUBMITTER_ROLES,
            "post": request.POST,
        },
    )


@login_required
@require_POST
def info_decide(request, pk: int):
    item = get_object_or_404(InfoSubmission, pk=pk)
    try:
        services.decide_info(
            user=request.user,
            item=item,
            adopt=request.POST.get("adopt") == "1",
            level=request.POST.get("level", ""),
            reason=request.POST.get("reason", "")[:300],
        )
    except (InputError, TransitionNotAllowed) as e:
        messages.error(request, getattr(e, "message", str(e)))
    return redirect("publicity:info")


@login_required
@gated(Gate(lambda u: services.is_office(u) or u.role in services.SUBMITTER_ROLES, "无权查看政务信息采用统计"))
def info_stats(request):
    year = _year(request)
    rows = services.adoption_counts(user=request.user, year=year)
    basis = f"口径：{year}年报送到平台的政务信息条数，及省局办公室标记为采用的条数（按采用级别）；采用率=采用/报送。"
    if request.GET.get("export") == "xlsx":
        audit.record(
            AuditAction.EXPORT, object_type="publicity.infosubmission", object_repr=f"{year}年政务信息采用统计"
        )
        sheet = Sheet(
            "政务信息采用",
            ["单位", "城市", "报送", "采用", "省局采用", "报省委省政府采用", "报国家局采用", "采用率%"],
            [
                [
                    r["unit"],
                    r["city"],
                    r["submitted"],
                    r["adopted"],
                    r["office"],
                    r["province"],
                    r["national"],
                    r["rate"],
                ]
                for r in rows
            ],
            notes=[basis],
        )
        return attachment(workbook_bytes([sheet]), f"政务信息采用统计-{year}.xlsx")
    return render(request, "publicity/info_stats.html", {"rows": rows, "year": year, "basis": basis})
