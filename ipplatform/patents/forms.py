from django import forms
from django.utils import timezone

from .enums import EntityType
from .models import ColumnMapping
from .records import FIELDS
from .services import MODES

ALLOWED_SUFFIXES = (".csv", ".xlsx", ".xls", ".jsonl", ".json", ".txt", ".tsv")


class UploadForm(forms.Form):
    file = forms.FileField(
        label="专利数据文件",
        help_text="国家知识产权局检索系统导出（25列，.xlsx/.xls/.csv）、中国知网专利列表（.csv）、专利公布公告（.jsonl），或按列映射的通用CSV/Excel；编码UTF-8或GBK均可",
    )
    format = forms.ChoiceField(
        label="格式",
        choices=[
            ("auto", "自动识别"),
            ("cnipa", "国家知识产权局25列导出"),
            ("cnki", "中国知网专利列表"),
            ("jsonl", "专利公布公告JSONL"),
            ("csv", "通用CSV/Excel（需选列映射）"),
        ],
    )
    mapping = forms.ModelChoiceField(
        label="列映射（通用格式用）", queryset=ColumnMapping.objects.all(), required=False, empty_label="（不使用）"
    )
    mode = forms.ChoiceField(label="导入方式", choices=list(MODES.items()), initial="lenient")
    status_as_of = forms.DateField(
        label="法律状态截至日（导出日期）",
        required=False,
        help_text="文件含“法律状态”“当前法律状态”“专利有效性”等状态列而无事件日期时，状态按此日期记为“状态截至”；留空则按导入日期记录并注明",
    )

    def clean_status_as_of(self):

        day = self.cleaned_data.get("status_as_of")
        if day and day > timezone.localdate():
            raise forms.ValidationError(f"法律状态截至日 {day} 晚于今天：应为文件导出的日期")
        return day

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError(f"文件“{f.name}”的类型不支持：请上传 .csv、.xlsx、.xls 或 .jsonl 文件")
        if f.size == 0:
            raise forms.ValidationError(f"文件“{f.name}”是空文件")
        return f

    def clean(self):
        data = super().clean()
        if data.get("format") == "csv" and not data.get("mapping"):
            self.add_error("mapping", "通用CSV/Excel格式必须选择一个列映射")
        return data


class ApplicantEditForm(forms.Form):
    entity_type = forms.ChoiceField(label="类型", choices=EntityType.choices)
    region_code = forms.CharField(label="区划代码（2015年版，留空表示未归属）", max_length=6, required=False)
    reason = forms.CharField(label="修改理由", max_length=200)

    def clean_region_code(self):
        code = self.cleaned_data["region_code"].strip()
        if code and not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError(f"区划代码“{code}”应为6位数字")
        return code


class MappingForm(forms.ModelForm):
    class Meta:
        model = ColumnMapping
        fields = ["name", "description", "date_format", "list_separator", "source_label"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        columns = self.instance.columns if self.instance and self.instance.pk else {}
        for key, label in FIELDS.items():
            self.fields[f"col_{key}"] = forms.CharField(
                label=label, required=False, max_length=100, initial=columns.get(key, "")
            )

    def clean(self):
        data = super().clean()
        cols = {k[4:]: v.strip() for k, v in data.items() if k.startswith("col_") and v and v.strip()}
        if not cols.get("application_number") and not cols.get("publication_number"):
            raise forms.ValidationError("至少要指定“申请号”或“公开（公告）号”对应的列")
        if not cols.get("title"):
            self.add_error("col_title", "必须指定“名称”对应的列")
        fmt = data.get("date_format") or ""
        if fmt and "%" not in fmt:
            self.add_error("date_format", "日期格式应使用 %Y %m %d，例如 %Y/%m/%d；留空则自动识别")
        self.instance.columns = cols
        return data
