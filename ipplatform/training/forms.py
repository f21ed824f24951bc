from __future__ import annotations

import json
from pathlib import Path

from django import forms

from ipplatform.core.inputs import InputError

from .enums import ChapterKind
from .models import Chapter, Course, Exam, Question, TrainingBase, TrainingClass
from .question_import import MODES, parse_answer

MAX_UPLOAD = 200 * 1024 * 1024
VIDEO_SUFFIXES = {".mp4", ".webm", ".m4v"}
DOC_SUFFIXES = {".pdf", ".doc", ".docx", ".ppt", ".pptx", ".xls", ".xlsx", ".odt", ".odp"}


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = [
            "title",
            "summary",
            "audience",
            "topic",
            "enrol_mode",
            "enrol_deadline",
            "no_skip",
            "idle_check_minutes",
            "credit_hours",
            "record_category",
            "thematic_databases",
            "published",
        ]
        widgets = {
            "enrol_deadline": forms.DateInput(attrs={"type": "date"}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }


class ChapterForm(forms.ModelForm):
    class Meta:
        model = Chapter
        fields = ["order", "title", "kind", "file", "body", "duration_seconds", "min_seconds", "source_note"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}

    def clean(self):
        data = super().clean()
        kind, upload = data.get("kind"), data.get("file")
        if upload is not None and hasattr(upload, "size"):
            suffix = Path(upload.name).suffix.lower()
            if upload.size > MAX_UPLOAD:
                self.add_error("file", f"文件“{upload.name}”超过200MB上限")
            allowed = VIDEO_SUFFIXES if kind == ChapterKind.VIDEO else DOC_SUFFIXES
            if kind in (ChapterKind.VIDEO, ChapterKind.DOCUMENT) and suffix not in allowed:
                self.add_error(
                    "file",
                    f"{ChapterKind(kind).label}章节只接受 {'、'.join(sorted(allowed))} 文件，收到“{upload.name}”",
                )
        if (
            kind in (ChapterKind.VIDEO, ChapterKind.DOCUMENT)
            and not upload
            and not (self.instance and self.instance.file)
        ):
            self.add_error("file", "视频和文档章节须上传文件")
        if kind == ChapterKind.VIDEO and not data.get("duration_seconds"):
            self.add_error("duration_seconds", "请填写视频时长（秒），用于判断是否看完")
        if kind == ChapterKind.TEXT and not (data.get("body") or "").strip():
            self.add_error("body", "图文章节须填写正文")
        return data


class QuestionForm(forms.ModelForm):
    options_text = forms.CharField(
        label="选项（每行一个，单选/多选题填写）", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    answer_text = forms.CharField(
        label="答案",
        help_text="单选/多选：选项序号，从1起，逗号分隔；判断：对/错；填空：可接受答案，用|分隔",
        max_length=500,
    )

    class Meta:
        model = Question
        fields = ["kind", "stem", "basis", "explanation"]
        widgets = {"stem": forms.Textarea(attrs={"rows": 3}), "explanation": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        options = [o.strip() for o in (data.get("options_text") or "").splitlines() if o.strip()]
        if not kind:
            return data
        try:
            self.instance.options, self.instance.answer = parse_answer(
                kind=kind, options=options, raw=data.get("answer_text") or ""
            )
        except InputError as e:
            self.add_error({"options": "options_text", "answer": "answer_text"}.get(e.field, None), e.message)
        return data


class QuestionImportForm(forms.Form):
    file = forms.FileField(label="Excel文件（按模板填写）")
    mode = forms.ChoiceField(
        label="导入方式",
        choices=[(MODES[0], "全部成功才导入（任何一行有错都不导入）"), (MODES[1], "导入正确的行，列出错误的行")],
        initial=MODES[0],
        widget=forms.RadioSelect,
    )


class ExamForm(forms.ModelForm):
    rules_text = forms.CharField(
        label="组卷规则（JSON）",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text='如 [{"bank": 1, "kind": "single", "count": 5, "points": 4}]',
    )

    class Meta:
        model = Exam
        fields = [
            "title",
            "course",
            "time_limit_minutes",
            "pass_percent",
            "max_attempts",
            "require_course",
            "issue_certificate",
            "published",
        ]

    def clean_rules_text(self):
        from .exams import validate_rules

        try:
            rules = json.loads(self.cleaned_data["rules_text"])
        except json.JSONDecodeError as e:
            raise forms.ValidationError(f"组卷规则不是有效的JSON（第{e.lineno}行第{e.colno}列）")
        try:
            self.instance.rules = validate_rules(rules)
        except InputError as e:
            raise forms.ValidationError(str(e))
        return rules


class TrainingClassForm(forms.ModelForm):
    class Meta:
        model = TrainingClass
        fields = ["title", "category", "base", "city_code", "start_date", "end_date", "hours"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", "结束日期不能早于开始日期")
        code = data.get("city_code") or ""
        if code and (len(code) != 6 or not code.startswith("37") or not code.endswith("00")):
            self.add_error("city_code", "请填写山东省的市级区划代码，如 370100")
        return data


class TrainingBaseForm(forms.ModelForm):
    class Meta:
        model = TrainingBase
        fields = ["name", "organization", "city_code", "address", "approved_on", "note"]
        widgets = {"approved_on": forms.DateInput(attrs={"type": "date"})}
