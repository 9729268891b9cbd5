"""The forms of the 填报 pages. They parse and label; the rules (a non-negative
figure, a reason to return, a period of the right kind …) are the services', so a
refusal reads the same wherever it comes from."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from sifa.common.forms import StyledForm, name_fields
from sifa.kit import registry
from sifa.kit.kpis import THEMES

from . import spans
from .choices import UNITS, Level, PeriodKind


class IndicatorForm(StyledForm):
    name = forms.CharField(label="名称", max_length=60)
    key = forms.CharField(label="指标代码", max_length=40, required=False, help_text="英文字母、数字、连字符，供统计接口使用；留空由系统生成。")
    unit = forms.ChoiceField(label="单位", choices=[(u, u) for u in UNITS])
    period_kind = forms.ChoiceField(label="填报周期", choices=PeriodKind.choices)
    level = forms.ChoiceField(
        label="填报层级", choices=Level.choices, help_text="司法局本级：本局填报（市局指标由各区县司法局填报）；各司法所：本局下每个司法所分别填报。"
    )
    definition = forms.CharField(
        label="统计口径", widget=forms.Textarea(attrs={"rows": 3}), help_text="说明统计什么、按什么时间计、包括哪些单位，将印在报告中数字旁。"
    )
    theme = forms.ChoiceField(label="报告章节", choices=THEMES, help_text="工作总结中本指标所在的部分。")
    kpi_key = forms.ChoiceField(
        label="对应平台指标", required=False, help_text="该项工作已在平台办理时选择：上线日期之后的期间由平台统计，之前的期间用填报数。"
    )
    live_from = forms.DateField(label="平台上线日期", required=False, widget=forms.DateInput())
    due_days = forms.IntegerField(label="填报截止（期末后天数）", min_value=0, max_value=90, initial=10, help_text="自然日，如季度结束后10日内。")
    is_active = forms.BooleanField(label="启用", required=False, initial=True)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, locked: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        lines = dict(registry.kpi_lines())
        self.fields["kpi_key"].choices = [("", "不对应（全部期间用填报数）")] + [(k.key, f"{lines.get(k.line, k.line)} · {k.label}") for k in registry.kpis()]
        # Once a round is open, its period kind and fillers are fixed (``services.update_indicator``).
        for name in locked:
            self.fields[name].disabled = True
            self.fields[name].help_text = "已开启填报轮次，不能修改。"
        name_fields(self)

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class OpenRoundForm(StyledForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    part = forms.TypedChoiceField(label="期间", coerce=int, required=False)

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = indicator.period_kind
        today = timezone.localdate()
        latest = spans.last_ended(self.kind, today)
        self.fields["year"].initial = latest.start.year
        self.fields["year"].max_value = today.year
        choices = spans.part_choices(self.kind)
        if choices:
            self.fields["part"].choices = choices
            self.fields["part"].required = True
            self.fields["part"].initial = spans.part_of(latest)
        else:
            del self.fields["part"]
        name_fields(self)

    def period(self):
        return spans.of(self.kind, self.cleaned_data["year"], self.cleaned_data.get("part") or 1)


class FillForm(StyledForm):
    value = forms.CharField(label="填报数值", required=False, max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
    note = forms.CharField(
        label="填报说明", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}), help_text="数据来源、与上期差异较大的原因等（选填）。"
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, unit: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if unit:
            self.fields["value"].label = f"填报数值（{unit}）"


class ReasonForm(StyledForm):
    reason = forms.CharField(label="原因", max_length=200, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args, label: str = "原因", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        name_fields(self)
