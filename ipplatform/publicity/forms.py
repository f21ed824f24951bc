from django import forms

from .models import Article, Event


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["category", "title", "summary", "source", "publish_at", "body"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 16, "class": "editor"}),
            "publish_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        }
        help_texts = {
            "body": "Markdown格式：## 标题、**加粗**、- 列表、[链接](http://…)、表格；由服务器渲染并过滤脚本，离线可用"
        }


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "kind",
            "title",
            "description",
            "city_code",
            "place",
            "starts_at",
            "ends_at",
            "registration_deadline",
            "capacity",
            "published",
        ]
        widgets = {
            k: forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
            for k in ("starts_at", "ends_at", "registration_deadline")
        }

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", "结束时间不能早于开始时间")
        if (
            data.get("registration_deadline")
            and data.get("starts_at")
            and data["registration_deadline"] > data["ends_at"]
        ):
            self.add_error("registration_deadline", "报名截止不能晚于活动结束")
        code = data.get("city_code") or ""
        if code and (len(code) != 6 or not code.startswith("37") or not code.endswith("00")):
            self.add_error("city_code", "请填写山东省的市级区划代码，如 370100")
        return data
