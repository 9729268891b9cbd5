"""The organisation and period chooser shared by the dashboard, the statistics
table, the report and the API. Bad input gives a Chinese message and the
default period; never a 500."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from sifa.common.forms import StyledForm

from .periods import Period

KINDS = [("year", "年度"), ("half", "半年"), ("quarter", "季度"), ("month", "月度"), ("custom", "自定义")]
PARTS = {
    "half": [(1, "上半年"), (2, "下半年")],
    "quarter": [(q, f"第{'一二三四'[q - 1]}季度") for q in range(1, 5)],
    "month": [(m, f"{m}月") for m in range(1, 13)],
}


class PeriodForm(StyledForm):
    org = forms.ChoiceField(label="机构", required=False)
    kind = forms.ChoiceField(label="期间", choices=KINDS, required=False)
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    part = forms.IntegerField(label="季/月/半年", required=False, min_value=1, max_value=12, widget=forms.Select)
    start = forms.DateField(label="起", required=False, widget=forms.DateInput)
    end = forms.DateField(label="止", required=False, widget=forms.DateInput)

    def __init__(self, data=None, *, orgs=(), root=None, kinds=None, **kwargs):
        super().__init__(data, **kwargs)
        self.root = root
        self.org_list = list(orgs)
        self.fields["org"].choices = [(str(o.pk), ("　" * max(o.depth - (root.depth if root else 0), 0)) + o.name) for o in self.org_list]
        if kinds:
            self.fields["kind"].choices = [k for k in KINDS if k[0] in kinds]
        year = timezone.localdate().year
        self.fields["year"].widget = forms.Select(choices=[(y, f"{y}年") for y in range(year, year - 10, -1)], attrs={"class": "form-select"})
        # The options follow the chosen kind (stats.js swaps them from data-parts).
        kind = (self.data.get("kind") if self.is_bound else None) or "year"
        self.fields["part"].widget.choices = [("", "—")] + PARTS.get(kind, [])
        import json

        self.fields["part"].widget.attrs["data-parts"] = json.dumps(PARTS, ensure_ascii=False)
        self._errors = None  # validate with the choices just set

    def clean(self):
        d = super().clean()
        kind = d.get("kind") or "year"
        d["kind"] = kind
        if kind == "custom":
            if not d.get("start") or not d.get("end"):
                self.add_error("start", "自定义期间须填写起止日期。")
            elif d["end"] < d["start"]:
                self.add_error("end", "结束日期不能早于开始日期。")
            elif (d["end"] - d["start"]).days > 366 * 5:
                self.add_error("end", "自定义期间不超过5年。")
        elif kind in PARTS:
            part = d.get("part")
            limit = len(PARTS[kind])
            if part is not None and not 1 <= part <= limit:
                self.add_error("part", f"{dict(KINDS)[kind]}的序号应为1至{limit}。")
        return d

    def chosen_org(self):
        """The chosen org (within scope), else the scope root."""
        if self.is_bound and self.is_valid() and self.cleaned_data.get("org"):
            found = next((o for o in self.org_list if str(o.pk) == self.cleaned_data["org"]), None)
            if found is not None:
                return found
        return self.root

    def period(self) -> Period:
        today = timezone.localdate()
        if not (self.is_bound and self.is_valid()):
            return Period.year(today.year)
        d = self.cleaned_data
        year = d.get("year") or today.year
        kind = d["kind"]
        part = d.get("part")
        if kind == "custom":
            return Period.custom(d["start"], d["end"])
        if kind == "half":
            return Period.half(year, part or (1 if today.month <= 6 or year != today.year else 2))
        if kind == "quarter":
            return Period.quarter(year, part or ((today.month - 1) // 3 + 1 if year == today.year else 4))
        if kind == "month":
            return Period.month(year, part or (today.month if year == today.year else 12))
        return Period.year(year)


def period_params(org, period: Period) -> dict:
    """Query parameters that select ``org`` and ``period`` again (links, drill-down)."""
    p = {"org": org.pk, "kind": period.kind}
    if period.kind == "custom":
        p |= {"start": period.start.isoformat(), "end": period.end.isoformat()}
    else:
        p["year"] = period.start.year
        if period.kind == "half":
            p["part"] = 1 if period.start.month == 1 else 2
        elif period.kind == "quarter":
            p["part"] = (period.start.month - 1) // 3 + 1
        elif period.kind == "month":
            p["part"] = period.start.month
    return p
