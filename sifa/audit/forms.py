import re

from django import forms

from sifa.common.forms import StyledFormMixin

from .labels import action_choices, action_label, object_type_choices, object_type_label
from .models import Result

CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.?$")


class CodeChoiceField(forms.ChoiceField):
    """A choice in Chinese; a code no label names yet (an old link, a new action) is
    still searched for, so a bookmark keeps working."""

    def valid_value(self, value):
        return super().valid_value(value) or bool(CODE.fullmatch(str(value)))


class AuditSearchForm(StyledFormMixin, forms.Form):
    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput)
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput)
    username = forms.CharField(label="用户名", required=False, max_length=150)
    # Chinese choices (labels.py): an action by its name, or a whole group ("登录与会话（全部）").
    action = CodeChoiceField(label="操作", required=False, choices=[], error_messages={"invalid_choice": "请从列表中选择操作。"})
    result = forms.ChoiceField(label="结果", required=False, choices=[("", "全部"), *Result.choices])
    object_type = CodeChoiceField(label="对象类型", required=False, choices=[], error_messages={"invalid_choice": "请从列表中选择对象类型。"})
    object_id = forms.CharField(label="对象ID", required=False, max_length=64)
    ip = forms.CharField(label="IP", required=False, max_length=45)
    request_id = forms.CharField(label="请求ID", required=False, max_length=32)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form: a line's labels are known once the apps are ready.
        self.fields["action"].choices = action_choices()
        self.fields["object_type"].choices = object_type_choices()
        for name, label in (("action", action_label), ("object_type", object_type_label)):
            value = str(self.data.get(name, "") or "") if self.is_bound else ""
            field = self.fields[name]
            if value and CODE.fullmatch(value) and not forms.ChoiceField.valid_value(field, value):
                field.choices = [*field.choices, (value, label(value))]  # shown as selected

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "截止日期不能早于起始日期。")
        for name in ("username", "object_id", "ip", "request_id"):
            if isinstance(data.get(name), str):
                data[name] = data[name].strip()
        return data
