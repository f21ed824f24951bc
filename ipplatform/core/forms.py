from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。连续失败5次，账号将被锁定10分钟。",
        "inactive": "该账号已停用。",
    }


class PopulationImportForm(forms.Form):
    file = forms.FileField(label="Excel文件（.xlsx）")
    source = forms.CharField(label="数据来源", max_length=300, help_text="如：《山东统计年鉴2016》年末常住人口")
    mode = forms.ChoiceField(
        label="导入方式",
        choices=[("all", "全部正确才导入（任一行有误则不导入）"), ("lenient", "导入正确的行，报告有误的行")],
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(f"文件“{f.name}”不是 .xlsx 格式")
        return f
