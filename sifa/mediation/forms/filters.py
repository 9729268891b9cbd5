"""The dispute list's filter bar, shared by the list page and its export
(纠纷列表 → 导出本列表), so both hold the same disputes."""

from __future__ import annotations

from django import forms
from django.http import Http404

from sifa.common import dictionaries
from sifa.common.forms import StyledForm, applied_filters

from .. import selectors
from ..choices import DISPUTE_TYPE_SET, SourceGroup, Status


class DisputeFilter(StyledForm):
    q = forms.CharField(label="关键词", required=False, widget=forms.TextInput(attrs={"placeholder": "编码 / 当事人 / 拼音首字母"}))
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), ("open", "在办")] + list(Status.choices))
    org = forms.ChoiceField(label="调解组织", required=False)
    dispute_type = forms.ChoiceField(label="纠纷类型", required=False)
    source = forms.ChoiceField(label="来源", required=False, choices=[("", "全部来源")] + list(SourceGroup.choices))
    date_from = forms.DateField(label="登记自", required=False, widget=forms.DateInput)
    date_to = forms.DateField(label="登记至", required=False, widget=forms.DateInput)
    risk = forms.BooleanField(label="仅风险预警", required=False)


def filtered_disputes(user, params):
    """(bound form, disputes the user may see that match it). 404 for users outside the line."""
    if not selectors.uses_line(user):
        raise Http404()
    form = DisputeFilter(params or None)
    orgs = selectors.committee_orgs(user).order_by("path")
    form.fields["org"].choices = [("", "全部调解组织")] + [(str(o.pk), o.name) for o in orgs]
    form.fields["dispute_type"].choices = [("", "全部类型")] + dictionaries.choices(DISPUTE_TYPE_SET, with_children=False)
    qs = selectors.disputes(user)
    if form.is_bound:
        d = applied_filters(form)  # a bad field is named on the page and left out
        if d["q"]:
            from sifa.cases.selectors import search

            qs = search(user, d["q"], qs)
        if d["status"] == "open":
            qs = qs.filter(status__in=selectors.status_open())
        elif d["status"]:
            qs = qs.filter(status=d["status"])
        if d["org"]:
            qs = qs.filter(owner_org_id=d["org"])
        if d["dispute_type"]:
            qs = qs.filter(dispute__dispute_type_top=d["dispute_type"])
        if d["source"]:
            qs = qs.filter(dispute__source_group=d["source"])
        if d["date_from"]:
            qs = qs.filter(opened_on__gte=d["date_from"])
        if d["date_to"]:
            qs = qs.filter(opened_on__lte=d["date_to"])
        if d["risk"]:
            qs = qs.filter(dispute__risk_flag=True)
    return form, qs


def describe(form: DisputeFilter) -> str:
    """The filter in words, for the export's 说明 sheet."""
    parts = []
    if form.is_bound and form.is_valid():
        for name, value in form.cleaned_data.items():
            if value in (None, "", False):
                continue
            field = form.fields[name]
            shown = "是" if value is True else dict(getattr(field, "choices", None) or []).get(value, value)
            parts.append(f"{field.label}：{shown}")
    return "人民调解纠纷；" + ("；".join(str(p) for p in parts) or "全部（本人可见范围）")
