"""The dispute list's filter bar: the list page, its "导出本列表" and the API
list all filter with it (``cases.lines``)."""

from __future__ import annotations

from django import forms

from sifa.cases.lines import CaseFilter
from sifa.common.forms import dictionary_field

from .. import selectors
from ..choices import DISPUTE_TYPE_SET, SourceGroup


class DisputeFilter(CaseFilter):
    date_word = "登记"
    q = forms.CharField(label="关键词", required=False, widget=forms.TextInput(attrs={"placeholder": "编码 / 当事人 / 拼音首字母"}))
    org = forms.ChoiceField(label="调解组织", required=False)
    dispute_type = dictionary_field(DISPUTE_TYPE_SET, "纠纷类型", required=False, top_level=True)
    source = forms.ChoiceField(label="来源", required=False, choices=[("", "全部来源")] + list(SourceGroup.choices))
    risk = forms.BooleanField(label="仅风险预警", required=False)

    field_order = ["q", "status", "org", "dispute_type", "source", "date_from", "date_to", "risk"]
    lookups = {"org": "owner_org_id", "dispute_type": "dispute__dispute_type_top", "source": "dispute__source_group", "risk": "dispute__risk_flag"}

    def setup(self):
        orgs = selectors.committee_orgs(self.user).order_by("path")
        self.fields["org"].choices = [("", "全部调解组织")] + [(str(o.pk), o.name) for o in orgs]
