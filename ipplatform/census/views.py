"""Census pages; rules live in services.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed

from ipplatform.core import regions
from ipplatform.core.downloads import DOCX, XLSX, attachment
from ipplatform.core.enums import Role
from ipplatform.core.inputs import InputError, is_id, parse_date
from ipplatform.core.navigation import Gate, gated
from ipplatform.core.workflow import history

from . import services
from .enums import QType, ResponseState, RoundState
from .models import CensusResponse, CensusRound


def _round(user, pk) -> CensusRound:
    rnd = get_object_or_404(CensusRound.objects.select_related("questionnaire", "issuer"), pk=pk)
    if not services.rounds_for(user).filter(pk=pk).exists():
        raise PermissionDenied("无权访问该普查：超出您的数据范围")
    return rnd


def _staff(user) -> bool:
    return user.is_superuser or user.role in (
        Role.PROVINCE_ADMIN,
        Role.PROVINCE_LEADER,
        Role.DEPARTMENT_STAFF,
        Role.CITY_OFFICER,
        Role.COUNTY_OFFICER,
    )


@login_required
@gated(Gate(lambda u: _staff(u) or services.is_respondent(u), "您的角色无权使用普查功能"))
def index(request):
    user = request.user
    rounds = list(services.rounds_for(user))
    mine = (
        CensusResponse.objects.filter(organization_id=user.organization_id)
        .exclude(round__state=RoundState.DRAFT)
        .select_related("round")
        if services.is_respondent(user)
        else []
    )
    return render(
        request,
        "census/index.html",
        {"rounds": rounds, "mine": mine, "staff": _staff(user), "issuer": services.is_issuer(user)},
    )


@login_required
def round_new(request):
    user = request.user
    if not services.is_issuer(user):
        raise PermissionDenied("只有省局和市局工作人员可以发起普查")
    recipients = services.eligible_recipients(user)
    values = {"title": request.POST.get("title", ""), "deadline": request.POST.get("deadline", "")}
    chosen = set(request.POST.getlist("org"))
    if request.method == "POST":
        try:
            deadline = parse_date(values["deadline"], field="deadline", label="填报截止日")
            rnd = services.create_round(
                by=user,
                title=values["title"],
                deadline=deadline,
                organizations=recipients.filter(pk__in=[int(x) for x in chosen if is_id(x)]),
            )
            if request.POST.get("send") == "1":
                n = services.send_round(rnd=rnd, by=user)
                messages.success(request, f"已发出，通知{n}个企业账号")
            return redirect("census:round", pk=rnd.pk)
        except InputError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "census/round_new.html",
        {
            "recipients": recipients,
            "values": values,
            "chosen": chosen,
            "questionnaire": services.default_questionnaire(),
        },
    )


@login_required
def round_detail(request, pk):
    user = request.user
    rnd = _round(user, pk)
    if not _staff(user):
        r = rnd.responses.filter(organization_id=user.organization_id).first()
        return redirect("census:response", pk=r.pk) if r else redirect("census:index")
    responses = services.responses_for(user, rnd).order_by("state", "city_code", "organization__name")
    if request.GET.get("state"):
        responses = responses.filter(state=request.GET["state"])
    responses = list(responses)
    for r in responses:
        r.city_name = regions.display_name(regions.to_current(r.city_code))
    return render(
        request,
        "census/round_detail.html",
        {
            "rnd": rnd,
            "completion": services.completion(rnd=rnd, user=user),
            "responses": responses,
            "manage": services.can_manage(user, rnd),
            "history": history(rnd),
            "states": ResponseState.choices,
            "import_result": request.session.pop(f"census-import-{rnd.pk}", None),
        },
    )


@login_required
@require_POST
def round_action(request, pk):
    user = request.user
    if not _staff(user):
        raise PermissionDenied("只有知识产权管理部门可以发出、催报或结束普查")
    rnd = _round(user, pk)
    action = request.POST.get("action", "")
    try:
        if action == "send":
            n = services.send_round(rnd=rnd, by=user)
            messages.success(request, f"已发出，通知{n}个企业账号")
        elif action == "remind":
            n = services.remind(rnd=rnd, by=user)
            messages.success(
                request, f"已向{n}个未提交企业账号发送催报通知" if n else "没有需要催报的企业（或今天已催报过）"
            )
        elif action in ("close", "reopen"):
            services.change_round(rnd=rnd, by=user, name=action, reason=request.POST.get("reason", ""))
            messages.success(request, "已办理")
        else:
            raise InputError("未知操作", field="action")
    except (InputError, TransitionNotAllowed) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    return redirect("census:round", pk=rnd.pk)


@login_required
def template_download(request, pk):
    rnd = _round(request.user, pk)
    return attachment(services.template_bytes(rnd=rnd, user=request.user), f"{rnd.title}-填报模板.xlsx", XLSX)


@login_required
@require_POST
def import_upload(request, pk):
    user = request.user
    rnd = _round(user, pk)
    f = request.FILES.get("file")
    back = "census:round" if _staff(user) else "census:index"
    if f is None:
        messages.error(request, "请选择要上传的Excel文件")
    elif f.size > services.MAX_IMPORT_BYTES:
        messages.error(request, f"{f.name}：文件超过5MB")
    else:
        try:
            result = services.import_excel(rnd=rnd, by=user, filename=f.name, data=f.read())
            request.session[f"census-import-{rnd.pk}"] = result
            (messages.success if not result["errors"] else messages.warning)(
                request,
                f"{f.name}：读取{result['rows']}行，导入并提交{result['saved']}行，{len(result['errors'])}处错误",
            )
        except InputError as exc:
            messages.error(request, exc.message)
    if not _staff(user):
        r = rnd.responses.filter(organization_id=user.organization_id).first()
        if r:
            return redirect("census:response", pk=r.pk)
    return redirect(back, pk=rnd.pk) if back == "census:round" else redirect(back)


@login_required
def results(request, pk):
    user = request.user
    rnd = _round(user, pk)
    if not _staff(user):
        raise PermissionDenied("汇总结果仅供知识产权管理部门查看")
    if request.GET.get("export") == "xlsx":
        return attachment(services.results_workbook(rnd=rnd, user=user), f"{rnd.title}-汇总.xlsx", XLSX)
    if request.GET.get("export") == "docx":
        return attachment(services.report_docx(rnd=rnd, user=user), f"{rnd.title}-分析报告.docx", DOCX)
    dim = request.GET.get("by", "city")
    try:
        res = services.results(rnd=rnd, user=user, dimension=dim)
    except InputError as exc:
        messages.error(request, exc.message)
        res = services.results(rnd=rnd, user=user, dimension="city")
    return render(request, "census/results.html", {"rnd": rnd, "res": res, "dims": services.DIMENSIONS.items()})


@login_required
def response_detail(request, pk):
    user = request.user
    response = get_object_or_404(CensusResponse.objects.select_related("round", "organization"), pk=pk)
    if not services.responses_for(user, response.round).filter(pk=pk).exists():
        raise PermissionDenied("无权访问该问卷：超出您的数据范围")
    rnd = response.round
    own = user.organization_id == response.organization_id
    errors, raw = {}, None
    if request.method == "POST":
        if not own:
            raise PermissionDenied("只能填报本单位的问卷")
        raw = {}
        for q in rnd.questionnaire.questions():
            raw[q.code] = request.POST.getlist(q.code) if q.qtype == QType.MULTI else request.POST.get(q.code, "")
        try:
            services.save_answers(response=response, by=user, raw=raw, submit=request.POST.get("submit") == "1")
            messages.success(
                request,
                "已提交，感谢填报" if response.state == ResponseState.SUBMITTED else "已保存草稿（提交前可继续修改）",
            )
            return redirect("census:response", pk=pk)
        except services.AnswerErrors as exc:
            errors = exc.errors
            messages.error(request, f"有{len(errors)}处填写有误，请按提示修改")
        except InputError as exc:
            messages.error(request, exc.message)
    values = raw if raw is not None else {k: v for k, v in response.answers.items()}
    sections = []
    for s in rnd.questionnaire.sections.prefetch_related("questions"):
        qs = []
        for q in s.questions.all():
            v = values.get(q.code)
            if q.qtype == QType.YESNO and isinstance(v, bool):
                v = services.YES if v else services.NO
            qs.append(
                {
                    "q": q,
                    "value": v if v is not None else ("" if q.qtype != QType.MULTI else []),
                    "error": errors.get(q.code, ""),
                }
            )
        sections.append((s, qs))
    editable = own and rnd.state == RoundState.SENT and response.state != ResponseState.SUBMITTED
    return render(
        request,
        "census/response.html",
        {
            "response": response,
            "rnd": rnd,
            "sections": sections,
            "editable": editable,
            "manage": services.can_manage(user, rnd),
            "history": history(response),
            "import_result": request.session.pop(f"census-import-{rnd.pk}", None),
        },
    )


@login_required
@require_POST
def response_return(request, pk):
    response = get_object_or_404(CensusResponse.objects.select_related("round"), pk=pk)
    try:
        services.return_response(response=response, by=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, "已退回企业修改")
    except (InputError, TransitionNotAllowed) as exc:
        messages.error(request, getattr(exc, "message", str(exc)))
    return redirect("census:response", pk=pk)
