from django import forms

from sifa.common.forms import StyledFormMixin

from .labels import all_labels
from .models import Result


class AuditSearchForm(StyledFormMixin, forms.Form):
    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput)
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput)
    username = forms.CharField(label="用户名", required=False, max_length=150)
    action = forms.CharField(label="操作", required=False, max_length=60, help_text="如 auth.login；以“.”结尾匹配一类，如 auth.")
    result = forms.ChoiceField(label="结果", required=False, choices=[("", "全部"), *Result.choices])
    object_type = forms.CharField(label="对象类型", required=False, max_length=60)
    object_id = forms.CharField(label="对象ID", required=False, max_length=64)
    ip = forms.CharField(label="IP", required=False, max_length=45)
    request_id = forms.CharField(label="请求ID", required=False, max_length=32)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].widget.attrs["list"] = "sf-audit-actions"
        self.action_labels = sorted(all_labels().items())

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "截止日期不能早于起始日期。")
        for name in ("username", "action", "object_type", "object_id", "ip", "request_id"):
            if isinstance(data.get(name), str):
                data[name] = data[name].strip()
        return data
