from django import forms

from sifa.common.forms import StyledForm

from .models import DayKind, Unit

MAX_AMOUNT = {"workday": 3650, "day": 3650, "month": 240}


class CalculatorForm(StyledForm):
    start = forms.DateField(label="起算日（事件发生之日，不计入期间）", widget=forms.DateInput)
    amount = forms.IntegerField(label="期间", min_value=0, max_value=3650)
    unit = forms.ChoiceField(label="单位", choices=Unit.choices)

    def clean(self):
        data = super().clean()
        unit, amount, start = data.get("unit"), data.get("amount"), data.get("start")
        if unit and amount is not None and amount > MAX_AMOUNT[unit]:
            self.add_error("amount", f"期间过长：以{Unit(unit).label}计不能超过{MAX_AMOUNT[unit]}。")
        if start and not (1950 <= start.year <= 2200):
            self.add_error("start", "起算日年份应在1950至2200年之间。")
        return data


class DayForm(StyledForm):
    date = forms.DateField(label="日期", widget=forms.DateInput)
    kind = forms.ChoiceField(label="类型", choices=DayKind.choices)
    name = forms.CharField(label="名称", max_length=40, required=False, help_text="如：春节、国庆节")


class DeadlineFilterForm(StyledForm):
    light = forms.ChoiceField(label="状态", required=False, choices=[("", "临期和超期"), ("overdue", "超期"), ("due_soon", "临期"), ("all", "全部在办")])
    case_type = forms.ChoiceField(label="业务", required=False)
    org = forms.ChoiceField(label="机构", required=False)
    mine = forms.BooleanField(label="只看我的", required=False)
