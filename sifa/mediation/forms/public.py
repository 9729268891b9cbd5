"""The portal's application for mediation (人民调解法 §17): the applicant chooses a
committee of the receiving bureau, names the other side and says what the
dispute is about. The portal adds the declaration and CSRF (``kit.portal``)."""

from __future__ import annotations

from django import forms

from sifa.common import dictionaries, identity
from sifa.common.forms import EMPTY_CHOICE, normalized

from ..choices import DISPUTE_TYPE_SET, MEDIATION_ORG_KINDS


class CommitteeField(forms.ModelChoiceField):
    def label_from_instance(self, org):
        parent = org.parent.name if org.parent_id and org.parent.name not in org.name else ""
        return f"{org.name}（{parent}）" if parent else org.name


class PublicDisputeForm(forms.Form):
    live_checks = {"applicant_id_number": "id", "applicant_phone": "phone", "respondent_phone": "phone"}
    committee = CommitteeField(
        label="申请调解的调解组织",
        queryset=None,
        empty_label=EMPTY_CHOICE,
        help_text="一般选择纠纷发生地或当事人住所地的人民调解委员会。",
    )
    dispute_type = forms.ChoiceField(label="纠纷类型")
    applicant_name = forms.CharField(label="申请人姓名", max_length=100)
    applicant_phone = forms.CharField(
        label="联系电话",
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
        help_text="调解员通过该电话联系您；查询进度时需要输入其后4位。",
    )
    applicant_id_number = forms.CharField(label="身份证号码", max_length=18, required=False)
    applicant_address = forms.CharField(label="住址", max_length=300, required=False)
    respondent_name = forms.CharField(label="对方当事人姓名或名称", max_length=100)
    respondent_phone = forms.CharField(label="对方联系电话", max_length=30, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"}))
    place = forms.CharField(label="纠纷发生地", max_length=200, required=False)
    summary = forms.CharField(
        label="纠纷情况和调解请求", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}), help_text="简要说明纠纷经过，以及希望通过调解解决什么问题。"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from sifa.orgs.models import Org

        self.fields["committee"].queryset = (
            Org.objects.filter(kind__in=MEDIATION_ORG_KINDS, is_active=True).select_related("parent").order_by("parent__name", "name", "id")
        )
        self.fields["dispute_type"].choices = [("", EMPTY_CHOICE)] + dictionaries.choices(DISPUTE_TYPE_SET)

    def clean_applicant_phone(self):
        return normalized(self, "applicant_phone", identity.normalize_phone)

    def clean_respondent_phone(self):
        return normalized(self, "respondent_phone", identity.normalize_phone)

    def clean_applicant_id_number(self):
        return normalized(self, "applicant_id_number", identity.normalize_id_number)
