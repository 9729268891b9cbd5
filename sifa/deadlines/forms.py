from django import forms

from sifa.common.forms import StyledForm

from .models import DayKind, Unit

MAX_AMOUNT = {"workday": 3650, "day": 3650, "month": 240}
# Short Chinese names of the calculator's parameters, for messages that name the field.
PARAM_LABELS = {"start": "起算日", "amount": "期间", "unit": "单位"}


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

    def errors_text(self) -> str:
        """One Chinese sentence naming each bad parameter (for the API's ``detail``)."""
        parts = [f"{PARAM_LABELS.get(name, name)}：{''.join(str(e) for e in errs)}" for name, errs in self.errors.items()]
        return "参数有误——" + "；".join(parts)


class DayForm(StyledForm):
    date = forms.DateField(label="日期", widget=forms.DateInput)
    kind = forms.ChoiceField(label="类型", choices=DayKind.choices)
    name = forms.CharField(label="名称", max_length=40, required=False, help_text="如：春节、国庆节")

    def clean_date(self):
        d = self.cleaned_data["date"]
        if not 1950 <= d.year <= 2200:
            raise forms.ValidationError("日期年份应在1950至2200年之间。")
        return d


class SettingForm(StyledForm):
    due_soon_workdays = forms.IntegerField(
        label="临期提醒（到期前工作日数）",
        min_value=0,
        max_value=30,
        help_text="期限在今天之后这么多个工作日内届满的，显示为“临期”（黄色）；0 表示只在当天提醒。",
    )


class DeadlineFilterForm(StyledForm):
    light = forms.ChoiceField(label="状态", required=False, choices=[("", "临期和超期"), ("overdue", "超期"), ("due_soon", "临期"), ("all", "全部在办")])
    case_type = forms.ChoiceField(label="业务", required=False)
    org = forms.ChoiceField(label="机构", required=False)
    mine = forms.BooleanField(label="只看我的", required=False)
