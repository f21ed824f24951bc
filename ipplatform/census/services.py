"""IP census: questionnaires as data, rounds, online and Excel answers with validation, reminders, completion and results."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from ipplatform.core import audit, notify, regions
from ipplatform.core.enums import PROVINCE_ROLES, AuditAction, OrgKind, Role, ScopeLevel
from ipplatform.core.inputs import InputError, parse_date
from ipplatform.core.models import Organization, User
from ipplatform.core.scopes import restrict, scope_of
from ipplatform.core.workflow import run_transition
from ipplatform.experts import industries
from ipplatform.lib.xlsx import Sheet, workbook_bytes

from . import defaults
from .enums import NUMERIC, QType, ResponseSource, ResponseState, RoundState
from .models import CensusResponse, CensusRound, Question, Questionnaire, Section

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
USCC_HEADER = "统一社会信用代码"
NAME_HEADER = "单位名称"
YES, NO = "是", "否"


class AnswerErrors(InputError):
    """Several invalid answers at once: `errors` maps question code to a Chinese message."""

    def __init__(self, errors: dict[str, str]):
        first = next(iter(errors.items()))
        super().__init__(f"有{len(errors)}处填写有误：" + "；".join(errors.values()), field=first[0])
        self.errors = errors


def today() -> dt.date:
    return timezone.localdate()


# ---------------------------------------------------------------- who may do what


def is_issuer(user) -> bool:
    """Province staff and city bureau officers send census rounds."""
    return bool(
        user.is_authenticated and (user.is_superuser or user.role in PROVINCE_ROLES or user.role == Role.CITY_OFFICER)
    )


def is_respondent(user) -> bool:
    return bool(
        user.is_authenticated and user.role in (Role.ENTERPRISE_USER, Role.UNIVERSITY_USER) and user.organization_id
    )


def rounds_for(user):
    """Rounds the user may see: province all; a city or county bureau its own rounds and province-wide ones; an enterprise those sent to it."""
    qs = CensusRound.objects.select_related("questionnaire", "issuer")
    scope = scope_of(user)
    if scope is None:
        return qs.none()
    if scope.level in (ScopeLevel.PROVINCE, ScopeLevel.DEPARTMENT):
        return qs
    if scope.level in (ScopeLevel.CITY, ScopeLevel.COUNTY):
        return qs.filter(Q(region_code="370000") | Q(region_code__startswith=scope.region_prefix[:4])).exclude(
            Q(state=RoundState.DRAFT) & ~Q(created_by=user)
        )
    if user.organization_id:
        return qs.filter(responses__organization_id=user.organization_id).exclude(state=RoundState.DRAFT).distinct()
    return qs.none()


def responses_for(user, rnd: CensusRound):
    return restrict(rnd.responses.select_related("organization"), user)


def can_manage(user, rnd: CensusRound) -> bool:
    """The issuer's staff (province staff for province rounds, the city's officers for city rounds)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.role in PROVINCE_ROLES:
        return True
    return user.role == Role.CITY_OFFICER and user.organization_id == rnd.issuer_id


# ---------------------------------------------------------------- questionnaires


@transaction.atomic
def load_questionnaire(
    *, code: str, title: str, spec: list, description: str = "", by=None, publish: bool = True
) -> Questionnaire:
    """Store a questionnaire spec [(section title, [question dicts])] as the next version of `code`."""
    if not spec:
        raise InputError("问卷至少需要一个部分", field="spec")
    version = (Questionnaire.objects.filter(code=code).aggregate(m=Max("version"))["m"] or 0) + 1
    qn = Questionnaire.objects.create(
        code=code, version=version, title=title, description=description, is_published=publish, created_by=by
    )
    codes = set()
    for s_order, (s_title, questions) in enumerate(spec, 1):
        section = Section.objects.create(questionnaire=qn, order=s_order, title=s_title)
        for q_order, q in enumerate(questions, 1):
            if q["code"] in codes:
                raise InputError(f"题目代码“{q['code']}”重复", field="code")
            if q["qtype"] not in QType.values:
                raise InputError(f"题目“{q['code']}”的题型“{q['qtype']}”无效", field="qtype")
            if q["qtype"] in (QType.CHOICE, QType.MULTI) and not q.get("choices"):
                raise InputError(f"选择题“{q['code']}”缺少选项", field="choices")
            codes.add(q["code"])
            Question.objects.create(
                section=section,
                order=q_order,
                code=q["code"],
                text=q["text"],
                qtype=q["qtype"],
                required=q.get("required", True),
                choices=q.get("choices", []),
                min_value=q.get("min_value"),
                max_value=q.get("max_value"),
                max_length=q.get("max_length"),
                not_above=q.get("not_above", ""),
                unit=q.get("unit", ""),
                help=q.get("help", ""),
            )
    for q in qn.questions():
        if q.not_above and q.not_above not in codes:
            raise InputError(f"题目“{q.code}”引用了不存在的题目“{q.not_above}”", field="not_above")
    return qn


def default_questionnaire() -> Questionnaire:
    """The latest published version of the default questionnaire, loading version 1 when there is none."""
    qn = Questionnaire.objects.filter(code=defaults.CODE, is_published=True).order_by("-version").first()
    return qn or load_questionnaire(
        code=defaults.CODE, title=defaults.TITLE, spec=defaults.SPEC, description=defaults.DESCRIPTION
    )


# ---------------------------------------------------------------- answers


def _parse_one(q: Question, raw) -> tuple[object, str]:
    """(value, error) for one raw answer (a string from a form or a cell, or a typed cell value)."""
    if isinstance(raw, str):
        raw = raw.strip()
    if raw in (None, "", []):
        return None, (f"“{q.text}”为必填项" if q.required else "")
    if q.qtype == QType.TEXT:
        text = str(raw)
        if q.max_length and len(text) > q.max_length:
            return None, f"“{q.text}”不能超过{q.max_length}字（现{len(text)}字）"
        return text, ""
    if q.qtype in NUMERIC:
        try:
            d = Decimal(str(raw).replace(",", "").replace("，", ""))
        except InvalidOperation:
            return None, f"“{q.text}”应为数字，填写的是“{raw}”"
        if not d.is_finite():
            return None, f"“{q.text}”应为数字，填写的是“{raw}”"
        if q.qtype == QType.INTEGER:
            if d != d.to_integral_value():
                return None, f"“{q.text}”应为整数，填写的是“{raw}”"
            value = int(d)
        else:
            value = float(d.quantize(Decimal("0.01"), ROUND_HALF_UP))
        if q.min_value is not None and d < q.min_value:
            return None, f"“{q.text}”不能小于{q.min_value.normalize():f}"
        if q.max_value is not None and d > q.max_value:
            return None, f"“{q.text}”不能大于{q.max_value.normalize():f}"
        return value, ""
    if q.qtype == QType.YESNO:
        text = str(raw).strip()
        if text in (YES, "1", "true", "True", "Y", "y", "yes") or raw is True:
            return True, ""
        if text in (NO, "0", "false", "False", "N", "n", "no") or raw is False:
            return False, ""
        return None, f"“{q.text}”应填“是”或“否”，填写的是“{raw}”"
    if q.qtype == QType.CHOICE:
        text = str(raw).strip()
        if text in q.choices:
            return text, ""
        if q.code == "industry" and industries.parse(text):
            return industries.label(industries.parse(text)), ""
        return None, f"“{q.text}”的选项中没有“{text}”"
    if q.qtype == QType.MULTI:
        items = (
            raw
            if isinstance(raw, list)
            else [x.strip() for x in str(raw).replace("；", ";").replace("，", ";").replace(",", ";").split(";")]
        )
        items = [str(x).strip() for x in items if str(x).strip()]
        bad = [x for x in items if x not in q.choices]
        if bad:
            return None, f"“{q.text}”的选项中没有“{'、'.join(bad)}”"
        if not items:
            return None, (f"“{q.text}”为必填项" if q.required else "")
        return items, ""
    if q.qtype == QType.DATE:
        try:
            return parse_date(raw, field=q.code, label=q.text).isoformat(), ""
        except InputError:  # the questionnaire's own wording: it names what was written
            return None, f"“{q.text}”应为日期（YYYY-MM-DD），填写的是“{raw}”"
    return None, f"“{q.text}”题型未知"


def validate(*, questionnaire: Questionnaire, raw: dict) -> tuple[dict, dict]:
    """(answers, errors by question code) for raw answers keyed by question code."""
    questions = list(questionnaire.questions())
    answers, errors = {}, {}
    for q in questions:
        value, error = _parse_one(q, raw.get(q.code))
        if error:
            errors[q.code] = error
        elif value is not None:
            answers[q.code] = value
    by_code = {q.code: q for q in questions}
    for q in questions:
        if q.not_above and q.code in answers and q.not_above in answers and answers[q.code] > answers[q.not_above]:
            errors[q.code] = (
                f"“{q.text}”（{answers[q.code]}）不能大于“{by_code[q.not_above].text}”（{answers[q.not_above]}）"
            )
    return answers, errors


def _apply(response: CensusResponse, answers: dict) -> None:
    response.answers = answers
    ind = answers.get("industry", "")
    response.industry = industries.parse(ind) if ind else ""
    response.size_class = answers.get("size", "")[:4]
    response.saved_at = timezone.now()


def save_answers(
    *, response: CensusResponse, by, raw: dict, submit: bool, source: str = ResponseSource.ONLINE
) -> CensusResponse:
    """An enterprise saves (draft, partial answers allowed) or submits (every rule checked) its answers."""
    if by.organization_id != response.organization_id and not can_manage(by, response.round):
        raise PermissionDenied("只能填报本单位的问卷")
    if response.round.state != RoundState.SENT:
        raise InputError(f"该普查{response.round.get_state_display()}，不能填报", field="round")
    if response.state == ResponseState.SUBMITTED:
        raise InputError("问卷已提交；如需修改，请联系发起单位退回", field="round")
    answers, errors = validate(questionnaire=response.round.questionnaire, raw=raw)
    if submit and errors:
        raise AnswerErrors(errors)
    if not submit:
        errors = {k: v for k, v in errors.items() if "必填" not in v}
        if errors:
            raise AnswerErrors(errors)
    with transaction.atomic():
        _apply(response, answers)
        response.source = source
        if submit:
            run_transition(
                response, "submit", by=by, reason="在线填报提交" if source == ResponseSource.ONLINE else "Excel导入提交"
            )
            response.submitted_at, response.submitted_by = timezone.now(), by
        response.save()
    return response


def return_response(*, response: CensusResponse, by, reason: str) -> CensusResponse:
    """The issuer returns a submitted response for correction."""
    if not can_manage(by, response.round) or not restrict(CensusResponse.objects.filter(pk=response.pk), by).exists():
        raise PermissionDenied("只有发起单位可以退回")
    if not (reason or "").strip():
        raise InputError("请填写退回原因", field="reason")
    with transaction.atomic():
        run_transition(response, "return_for_correction", by=by, reason=reason.strip())
        response.save()
    for user in User.objects.filter(organization=response.organization, is_active=True):
        notify.notify(
            user=user,
            title=f"普查问卷被退回修改：{response.round.title}",
            body=reason.strip(),
            url=f"/census/responses/{response.pk}/",
            kind="census",
            dedupe_key=f"census:return:{response.pk}:{timezone.now():%Y%m%d%H%M}",
        )
    return response


# ---------------------------------------------------------------- rounds


def eligible_recipients(user):
    """Enterprises the user may send a census to (its scope)."""
    return restrict(Organization.objects.filter(kind=OrgKind.ENTERPRISE, is_active=True), user).order_by(
        "region_code", "name"
    )


@transaction.atomic
def create_round(
    *, by, title: str, deadline: dt.date, organizations, questionnaire: Questionnaire | None = None
) -> CensusRound:
    """Prepare a round (draft) for a set of enterprises in the issuer's area."""
    if not is_issuer(by):
        raise PermissionDenied("只有省局和市局工作人员可以发起普查")
    if not (title or "").strip():
        raise InputError("请填写普查名称", field="title")
    if deadline is None or deadline < today():
        raise InputError("填报截止日不能为空或早于今天", field="deadline")
    orgs = list(organizations)
    if not orgs:
        raise InputError("请至少选择一家企业", field="organizations")
    allowed = set(eligible_recipients(by).values_list("pk", flat=True))
    outside = [o.name for o in orgs if o.pk not in allowed]
    if outside:
        raise InputError(f"以下单位不在您的辖区或不是企业：{'、'.join(outside[:5])}", field="organizations")
    issuer = by.organization
    region = "370000" if (by.is_superuser or by.role in PROVINCE_ROLES) else regions.city_code_of(issuer.region_code)
    rnd = CensusRound.objects.create(
        title=title.strip()[:200],
        questionnaire=questionnaire or default_questionnaire(),
        issuer=issuer,
        region_code=region,
        deadline=deadline,
        created_by=by,
    )
    # a province-level enterprise (370000) keeps its own code: it belongs to no city
    CensusResponse.objects.bulk_create(
        [
            CensusResponse(round=rnd, organization=o, city_code=regions.city_code_of(o.region_code) or o.region_code)
            for o in orgs
        ]
    )
    return rnd


def send_round(*, rnd: CensusRound, by) -> int:
    """Send the round: it opens for answers and every recipient's users are told; returns the users notified."""
    if not can_manage(by, rnd):
        raise PermissionDenied("只有发起单位可以发出普查")
    with transaction.atomic():
        run_transition(rnd, "send", by=by, reason=f"发给{rnd.responses.count()}家企业")
        rnd.sent_at = timezone.now()
        rnd.save()
    n = 0
    for r in rnd.responses.select_related("organization"):
        for user in User.objects.filter(organization=r.organization, is_active=True):
            n += bool(
                notify.notify(
                    user=user,
                    title=f"请填报：{rnd.title}",
                    body=f"填报截止日{rnd.deadline}，可在线填写或下载Excel模板填写后上传。",
                    url=f"/census/responses/{r.pk}/",
                    kind="census",
                    dedupe_key=f"census:send:{rnd.pk}:{r.pk}",
                )
            )
    return n


def change_round(*, rnd: CensusRound, by, name: str, reason: str) -> CensusRound:
    if not can_manage(by, rnd):
        raise PermissionDenied("只有发起单位可以办理")
    with transaction.atomic():
        run_transition(rnd, name, by=by, reason=(reason or "").strip())
        rnd.save()
    return rnd


def remind(*, rnd: CensusRound, by, on: dt.date | None = None) -> int:
    """Remind the users of every recipient in the user's scope that has not submitted (once a day each); returns the count."""
    if not (
        can_manage(by, rnd) or (by.role in (Role.CITY_OFFICER, Role.COUNTY_OFFICER) and rnd.state == RoundState.SENT)
    ):
        raise PermissionDenied("只有发起单位或所在地市局可以催报")
    if rnd.state != RoundState.SENT:
        raise InputError("普查未在填报中，不能催报", field="round")
    on = on or today()
    days = (rnd.deadline - on).days
    when = f"距截止日{rnd.deadline}还有{days}天" if days >= 0 else f"已超过截止日{rnd.deadline} {-days}天"
    n = 0
    for r in responses_for(by, rnd).exclude(state=ResponseState.SUBMITTED):
        for user in User.objects.filter(organization=r.organization, is_active=True):
            n += bool(
                notify.notify(
                    user=user,
                    title=f"催报：{rnd.title}",
                    body=f"贵单位尚未提交，{when}。",
                    url=f"/census/responses/{r.pk}/",
                    kind="census",
                    dedupe_key=f"census:remind:{rnd.pk}:{r.pk}:{on}",
                )
            )
    return n


def completion(*, rnd: CensusRound, user) -> list[dict]:
    """Per city (today's divisions, 莱芜 in 济南): recipients, submitted, returned, pending and the rate, in the user's scope."""
    rows = defaultdict(Counter)
    for city, state in responses_for(user, rnd).values_list("city_code", "state"):
        city = regions.to_current(city) if city else city
        rows[city]["total"] += 1
        rows[city][state] += 1
    out = []
    for city in sorted(rows):
        c = rows[city]
        out.append(
            {
                "city_code": city,
                "city": regions.display_name(city),
                "total": c["total"],
                "submitted": c[ResponseState.SUBMITTED],
                "returned": c[ResponseState.RETURNED],
                "pending": c[ResponseState.PENDING],
                "rate": round(c[ResponseState.SUBMITTED] * 100 / c["total"], 1) if c["total"] else 0.0,
            }
        )
    if out:
        total = sum(r["total"] for r in out)
        sub = sum(r["submitted"] for r in out)
        out.append(
            {
                "city_code": "",
                "city": "合计",
                "total": total,
                "submitted": sub,
                "returned": sum(r["returned"] for r in out),
                "pending": sum(r["pending"] for r in out),
                "rate": round(sub * 100 / total, 1) if total else 0.0,
            }
        )
    return out


# ---------------------------------------------------------------- Excel template and import


def _header(q: Question) -> str:
    return f"{q.code}｜{q.label}"


def template_bytes(*, rnd: CensusRound, user) -> bytes:
    """The Excel template: one row per recipient in the user's scope (USCC and name filled), one column per question."""
    questions = list(rnd.questionnaire.questions())
    rows = []
    for r in responses_for(user, rnd).order_by("city_code", "organization__name"):
        rows.append([r.organization.uscc, r.organization.name] + [_cell(q, r.answers.get(q.code)) for q in questions])
    guide = [
        [
            q.section.title,
            q.code,
            q.text,
            q.get_qtype_display(),
            "是" if q.required else "否",
            "；".join(q.choices),
            _rule_text(q),
        ]
        for q in questions
    ]
    return workbook_bytes(
        [
            Sheet("填报", [USCC_HEADER, NAME_HEADER] + [_header(q) for q in questions], rows),
            Sheet(
                "填报说明",
                ["部分", "代码", "题目", "题型", "必填", "选项", "校验"],
                guide,
                notes=[
                    rnd.questionnaire.title + f"（第{rnd.questionnaire.version}版）",
                    "“填报”表第1行为表头，请勿修改；每家企业一行，按统一社会信用代码匹配；多选用分号分隔；是否题填“是”或“否”",
                ],
            ),
        ]
    )


def _cell(q: Question, value):
    if value is None:
        return None
    if q.qtype == QType.YESNO:
        return YES if value else NO
    if q.qtype == QType.MULTI:
        return "；".join(value)
    return value


def _rule_text(q: Question) -> str:
    parts = []
    if q.min_value is not None:
        parts.append(f"≥{q.min_value.normalize():f}")
    if q.max_value is not None:
        parts.append(f"≤{q.max_value.normalize():f}")
    if q.max_length:
        parts.append(f"不超过{q.max_length}字")
    if q.not_above:
        parts.append(f"不大于{q.not_above}")
    return "，".join(parts)


def import_excel(*, rnd: CensusRound, by, filename: str, data: bytes) -> dict:
    """Import answers from the template: every valid row is submitted; each invalid row is reported (file, line, field, message)
    and left as it was. Returns {"saved": n, "errors": [...], "rows": m}."""
    from openpyxl import load_workbook

    if rnd.state != RoundState.SENT:
        raise InputError(f"该普查{rnd.get_state_display()}，不能导入", field="file")
    if len(data) > MAX_IMPORT_BYTES:
        raise InputError(f"{filename}：文件超过{MAX_IMPORT_BYTES // 1024 // 1024}MB", field="file")
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise InputError(f"{filename}：不是有效的Excel（.xlsx）文件", field="file")
    ws = wb["填报"] if "填报" in wb.sheetnames else wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    questions = {q.code: q for q in rnd.questionnaire.questions()}
    if USCC_HEADER not in header:
        raise InputError(f"{filename} 第1行：缺少“{USCC_HEADER}”列，请使用本普查下载的模板", field=USCC_HEADER, line=1)
    columns = {}
    for i, h in enumerate(header):
        code = h.split("｜")[0].strip()
        if code in questions:
            columns[i] = questions[code]
    missing = [q for c, q in questions.items() if q not in columns.values()]
    if missing:
        raise InputError(
            f"{filename} 第1行：缺少题目列 {'、'.join(_header(q) for q in missing[:5])}（问卷为第{rnd.questionnaire.version}版，请重新下载模板）",
            field=_header(missing[0]),
            line=1,
        )
    uscc_col = header.index(USCC_HEADER)
    name_col = header.index(NAME_HEADER) if NAME_HEADER in header else None
    scoped = list(responses_for(by, rnd))
    if not (can_manage(by, rnd) or by.role in (Role.CITY_OFFICER, Role.COUNTY_OFFICER)):
        scoped = [r for r in scoped if r.organization_id == by.organization_id]
    mine = {r.organization.uscc.upper(): r for r in scoped if r.organization.uscc}
    # an enterprise whose registry entry has no USCC yet is matched by its exact name (the template's 单位名称 column)
    by_name = {r.organization.name: r for r in scoped if not r.organization.uscc}
    errors, saved, count, seen = [], 0, 0, {}
    for line, row in enumerate(rows, start=2):
        if row is None or all(v in (None, "") for v in row):
            continue
        count += 1
        if count > MAX_IMPORT_ROWS:
            errors.append(
                {"file": filename, "line": line, "field": "", "message": f"超过{MAX_IMPORT_ROWS}行，其余行未读取"}
            )
            break
        code = str(row[uscc_col] or "").strip().upper() if uscc_col < len(row) else ""
        response = mine.get(code)
        if not code:
            name = str(row[name_col] or "").strip() if name_col is not None and name_col < len(row) else ""
            response = by_name.get(name)
            if response is None:
                errors.append(
                    {
                        "file": filename,
                        "line": line,
                        "field": USCC_HEADER,
                        "message": "统一社会信用代码为空"
                        + (f"，且“{name[:40]}”不是本次普查中您可填报的未登记信用代码的企业" if name else ""),
                    }
                )
                continue
            code = f"name:{name}"
        if response is None:
            errors.append(
                {"file": filename, "line": line, "field": USCC_HEADER, "message": f"{code}不是本次普查中您可填报的企业"}
            )
            continue
        if code in seen:
            errors.append({"file": filename, "line": line, "field": USCC_HEADER, "message": f"与第{seen[code]}行重复"})
            continue
        seen[code] = line
        if response.state == ResponseState.SUBMITTED:
            errors.append(
                {
                    "file": filename,
                    "line": line,
                    "field": USCC_HEADER,
                    "message": f"{response.organization.name}已提交，需先退回才能重新导入",
                }
            )
            continue
        raw = {q.code: (row[i] if i < len(row) else None) for i, q in columns.items()}
        answers, row_errors = validate(questionnaire=rnd.questionnaire, raw=raw)
        if row_errors:
            for qcode, message in row_errors.items():
                errors.append({"file": filename, "line": line, "field": _header(questions[qcode]), "message": message})
            continue
        with transaction.atomic():
            _apply(response, answers)
            response.source = ResponseSource.EXCEL
            run_transition(response, "submit", by=by, reason=f"Excel导入：{filename} 第{line}行")
            response.submitted_at, response.submitted_by = timezone.now(), by
            response.save()
        saved += 1
    audit.record(
        AuditAction.IMPORT, obj=rnd, actor=by, reason=f"{filename}：{count}行，导入{saved}行，{len(errors)}处错误"
    )
    return {"saved": saved, "errors": errors, "rows": count}


# ---------------------------------------------------------------- results


DIMENSIONS = {"city": "城市", "industry": "行业", "size": "企业规模"}


def _group(r: CensusResponse, dimension: str) -> str:
    if dimension == "city":
        return regions.display_name(regions.to_current(r.city_code))
    if dimension == "industry":
        return industries.label(r.industry) if r.industry else "未填"
    return r.size_class or "未填"


def results(*, rnd: CensusRound, user, dimension: str) -> dict:
    """Submitted answers aggregated by city, industry or size: numeric questions as count/sum/mean, choices as counts."""
    if dimension not in DIMENSIONS:
        raise InputError("汇总维度应为城市、行业或企业规模", field="by")
    submitted = list(responses_for(user, rnd).filter(state=ResponseState.SUBMITTED))
    groups = sorted({_group(r, dimension) for r in submitted})
    tables = []
    for q in rnd.questionnaire.questions():
        if q.code in ("industry", "size") and dimension in ("industry", "size"):
            continue
        if q.qtype in NUMERIC:
            rows = []
            for g in groups + ["合计"]:
                vals = [
                    Decimal(str(r.answers[q.code]))
                    for r in submitted
                    if q.code in r.answers and (g == "合计" or _group(r, dimension) == g)
                ]
                total = sum(vals, Decimal("0"))
                rows.append([g, len(vals), _num(total), _num(total / len(vals)) if vals else "—"])
            tables.append(
                {
                    "question": q,
                    "headers": [
                        DIMENSIONS[dimension],
                        "填报企业数",
                        f"合计{('（' + q.unit + '）') if q.unit else ''}",
                        "平均",
                    ],
                    "rows": rows,
                }
            )
        elif q.qtype in (QType.CHOICE, QType.MULTI, QType.YESNO):
            options = [YES, NO] if q.qtype == QType.YESNO else list(q.choices)
            rows = []
            for g in groups + ["合计"]:
                counts = Counter()
                n = 0
                for r in submitted:
                    if q.code not in r.answers or not (g == "合计" or _group(r, dimension) == g):
                        continue
                    n += 1
                    v = r.answers[q.code]
                    for item in v if isinstance(v, list) else [YES if v is True else NO if v is False else v]:
                        counts[item] += 1
                rows.append([g, n] + [counts[o] for o in options])
            tables.append({"question": q, "headers": [DIMENSIONS[dimension], "填报企业数"] + options, "rows": rows})
    return {
        "dimension": dimension,
        "label": DIMENSIONS[dimension],
        "groups": groups,
        "submitted": len(submitted),
        "tables": tables,
        "source": f"计算自本次普查已提交的{len(submitted)}份问卷（{rnd.questionnaire.title}第{rnd.questionnaire.version}版），"
        f"行业、规模为企业自填；未提交的问卷不计入",
    }


def _num(d: Decimal) -> str:
    d = d.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{d.normalize():f}" if d == d.to_integral_value() else f"{d:f}"


def results_workbook(*, rnd: CensusRound, user) -> bytes:
    """Completion and results by city, industry and size in one workbook."""
    sheets = [
        Sheet(
            "完成情况",
            ["城市", "应填企业", "已提交", "退回修改", "未提交", "完成率（%）"],
            [
                [r["city"], r["total"], r["submitted"], r["returned"], r["pending"], r["rate"]]
                for r in completion(rnd=rnd, user=user)
            ],
            notes=[rnd.title, f"截止日{rnd.deadline}；导出时间{timezone.localtime():%Y-%m-%d %H:%M}"],
        )
    ]
    for dim in DIMENSIONS:
        res = results(rnd=rnd, user=user, dimension=dim)
        for t in res["tables"]:
            sheets.append(
                Sheet(
                    f"{res['label']}-{t['question'].code}",
                    t["headers"],
                    t["rows"],
                    notes=[t["question"].label, res["source"]],
                )
            )
    audit.record(AuditAction.EXPORT, obj=rnd, actor=user, reason="普查结果导出Excel")
    return workbook_bytes(sheets)


def report_docx(*, rnd: CensusRound, user) -> bytes:
    """The census report (Word): completion by city with a chart, and the main figures by city, industry and size."""
    from ipplatform.lib import charts, worddoc

    comp = completion(rnd=rnd, user=user)
    doc = worddoc.new_document(
        f"{rnd.title}分析报告", subtitle=f"{rnd.issuer.name} · {timezone.localdate():%Y年%m月%d日}"
    )
    total = comp[-1] if comp else {"total": 0, "submitted": 0, "rate": 0}
    doc.add_heading("一、填报完成情况", level=1)
    worddoc.add_paragraphs(
        doc,
        f"本次普查发给{total['total']}家企业，截至报告日已提交{total['submitted']}家，完成率{total['rate']}%。"
        f"填报截止日为{rnd.deadline}。",
    )
    worddoc.add_table(
        doc,
        ["城市", "应填企业", "已提交", "未提交", "完成率（%）"],
        [[r["city"], r["total"], r["submitted"], r["pending"] + r["returned"], r["rate"]] for r in comp],
    )
    cities = [r for r in comp if r["city_code"]]
    if cities:
        worddoc.add_image(
            doc,
            charts.bar_chart("各市完成率（%）", [r["city"] for r in cities], [r["rate"] for r in cities]),
            caption="图1 各市完成率",
        )
    key = ["employees", "rd_staff", "rd_spend", "inv_apps", "inv_grants", "valid_inv"]
    for n, dim in enumerate(DIMENSIONS, 2):
        res = results(rnd=rnd, user=user, dimension=dim)
        doc.add_heading(f"{'二三四'[n - 2]}、按{res['label']}", level=1)
        worddoc.add_paragraphs(doc, res["source"])
        for t in res["tables"]:
            if t["question"].code in key or (dim != "city" and t["question"].code in ("ip_dept", "gbt29490")):
                worddoc.add_table(doc, t["headers"], t["rows"], caption=t["question"].label)
    audit.record(AuditAction.EXPORT, obj=rnd, actor=user, reason="普查分析报告Word")
    return worddoc.to_bytes(doc)
