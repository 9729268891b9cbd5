"""Registering a dispute: the full form (several parties per side, with the
party formset) and the quick form for a mediator on a phone."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from sifa.cases.forms import HandOverForm, RegistrationForm
from sifa.common import dictionaries
from sifa.common.forms import dictionary_field

from ..choices import DISPUTE_TYPE_SET, Source

CONFIRM_LABEL = "已核对上述在办纠纷，仍然登记"


class _Base(RegistrationForm):
    owner_org = forms.ChoiceField(label="调解组织")
    source = forms.ChoiceField(label="案件来源", choices=Source.choices)
    dispute_type = forms.ChoiceField(label="纠纷类型")
    summary = forms.CharField(label="纠纷简要情况", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    confirm_duplicate = forms.BooleanField(label=CONFIRM_LABEL, required=False)

    def setup(self):
        self.fields["dispute_type"].choices = [("", "请选择")] + dictionaries.choices(DISPUTE_TYPE_SET)

    def show_confirm(self) -> bool:
        return bool(self.duplicates) or bool(self.data.get("confirm_duplicate"))


class DisputeForm(_Base):
    referred_by = forms.CharField(label="委托/移送单位", max_length=100, required=False, help_text="法院、公安、信访等委托移送的，写明单位")
    title = forms.CharField(label="案由/标题", max_length=200, required=False, help_text="不填则自动生成，如“张三与李四邻里纠纷”")
    place = forms.CharField(label="纠纷发生地", max_length=200, required=False)
    amount_in_dispute = forms.DecimalField(label="争议金额（元）", required=False, max_digits=14, decimal_places=2, min_value=0)
    opened_on = forms.DateField(label="登记日期", widget=forms.DateInput)

    field_order = ["owner_org", "source", "referred_by", "dispute_type", "title", "place", "amount_in_dispute", "opened_on", "summary", "confirm_duplicate"]
    past_dates = ("opened_on",)

    def setup(self):
        super().setup()
        if not self.is_bound:
            self.fields["opened_on"].initial = timezone.localdate()


class QuickDisputeForm(_Base):
    live_checks = {"applicant_phone": "phone", "respondent_phone": "phone"}
    applicant_name = forms.CharField(label="申请人（一方）姓名", max_length=100)
    applicant_phone = forms.CharField(label="申请人电话", max_length=30, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    respondent_name = forms.CharField(label="被申请人（另一方）姓名", max_length=100)
    respondent_phone = forms.CharField(label="被申请人电话", max_length=30, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"}))

    field_order = [
        "owner_org",
        "source",
        "dispute_type",
        "applicant_name",
        "applicant_phone",
        "respondent_name",
        "respondent_phone",
        "summary",
        "confirm_duplicate",
    ]

    def parties(self) -> list[dict]:
        d = self.cleaned_data
        return [
            {"role": "applicant", "name": d["applicant_name"], "phone": d["applicant_phone"]},
            {"role": "respondent", "name": d["respondent_name"], "phone": d.get("respondent_phone", "")},
        ]


class HandOverDisputeForm(HandOverForm):
    """转人民调解 from a 12348 order or a visit: what a dispute needs that the source does not hold."""

    dispute_type = dictionary_field(DISPUTE_TYPE_SET, "纠纷类型")
    respondent_name = forms.CharField(label="被申请人", max_length=100, required=False, help_text="来源记录未登记对方当事人的，填写纠纷另一方")

    def setup(self):
        self.fields["owner_org"].label = "调解组织"
