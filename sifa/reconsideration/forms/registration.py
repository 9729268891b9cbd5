"""Registration forms: staff registration of an application or a suit, and the
public portal's online application. All end in ``services``."""

from __future__ import annotations

from django import forms

from sifa.cases.choices import PartyKind
from sifa.cases.forms import HandOverForm
from sifa.common import identity
from sifa.common.errors import DomainError
from sifa.common.forms import LineForm, MultipleFileField, dictionary_field

from ..choices import FY_CATEGORY, FY_CHANNELS, RESPONDENT_AGENCY, Instance

TEXTAREA = {"rows": 4}
FILES_HELP = "可选择多个文件；允许PDF、JPG、PNG、Word、Excel、OFD等，单个文件不超过20MB。"


class _ActFields(LineForm):
    respondent_agency = dictionary_field(RESPONDENT_AGENCY, "被申请人（作出行政行为的机关）")
    category = dictionary_field(FY_CATEGORY, "复议事项类别")
    contested_act = forms.CharField(label="被申请复议的行政行为", max_length=300, help_text="如：××罚决字〔2026〕12号行政处罚决定")
    act_number = forms.CharField(label="行政行为文书编号", max_length=100, required=False)
    act_date = forms.DateField(label="行政行为作出日期", required=False, widget=forms.DateInput)
    known_on = forms.DateField(label="知道该行政行为之日", required=False, widget=forms.DateInput, help_text="申请期限一般为知道之日起60日（第二十条）。")
    amount = forms.DecimalField(label="涉及款额（元）", required=False, min_value=0, max_digits=14, decimal_places=2)
    request = forms.CharField(label="行政复议请求", widget=forms.Textarea(attrs=TEXTAREA), max_length=4000)
    reasons = forms.CharField(label="事实和理由", widget=forms.Textarea(attrs={"rows": 6}), max_length=8000, required=False)
    compensation_claim = forms.BooleanField(label="一并提出行政赔偿请求", required=False)
    hearing_requested = forms.BooleanField(label="申请听证", required=False)
    past_dates = ("act_date", "known_on")

    def clean(self):
        d = super().clean()
        if d.get("act_date") and d.get("known_on") and d["known_on"] < d["act_date"]:
            self.add_error("known_on", "知道该行政行为之日：不能早于行政行为作出日期。")
        return d


class ApplicationForm(_ActFields):
    """Staff registration (post, in person, online forwarded, oral record)."""

    channel = forms.ChoiceField(label="收件方式", choices=list(FY_CHANNELS.items()))
    received_on = forms.DateField(label="收到申请日期", widget=forms.DateInput)
    is_inaction = forms.BooleanField(label="申请履行法定职责（不作为）案件", required=False, help_text="不选时按事项类别判断。")
    summary = forms.CharField(label="备注（口头申请的记录要点等）", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False)
    attachments = MultipleFileField(label="申请材料", help_text=FILES_HELP)
    field_order = ["channel", "received_on", "respondent_agency", "category", "is_inaction", "contested_act", "act_number", "act_date", "known_on", "amount"]
    past_dates = ("received_on", "act_date", "known_on")

    def clean_is_inaction(self):
        # Unticked means "decide by the category", not "not an inaction case".
        return True if self.cleaned_data.get("is_inaction") else None


class SuitForm(LineForm):
    served_on = forms.DateField(label="收到起诉状副本日期", widget=forms.DateInput, help_text="答辩及举证期限自该日起15日（行政诉讼法第六十七条）。")
    defendant_agency = dictionary_field(RESPONDENT_AGENCY, "被告行政机关")
    reconsideration_co_defendant = forms.BooleanField(label="复议机关为共同被告", required=False)
    court = forms.CharField(label="受理法院", max_length=100)
    court_case_number = forms.CharField(label="案号", max_length=60, required=False, help_text="如：（2026）闽0102行初12号")
    instance = forms.ChoiceField(label="审级", choices=Instance.choices, initial=Instance.FIRST)
    filed_on = forms.DateField(label="法院立案日期", required=False, widget=forms.DateInput)
    cause = forms.CharField(label="案由", max_length=100, help_text="如：行政处罚、政府信息公开")
    contested_act = forms.CharField(label="被诉行政行为", max_length=300)
    related_code = forms.CharField(label="关联行政复议案件编码", max_length=19, required=False)
    head_notified = forms.BooleanField(label="法院已通知负责人出庭", required=False)
    summary = forms.CharField(label="简要情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False)
    attachments = MultipleFileField(label="起诉状副本及应诉材料", help_text=FILES_HELP)
    past_dates = ("served_on",)


class PublicApplicationForm(_ActFields):
    """The portal's online application (行政复议法 §22: 指定的互联网渠道)."""

    live_checks = {"applicant_id_number": "id", "applicant_phone": "phone"}
    applicant_kind = forms.ChoiceField(label="申请人类型", choices=PartyKind.choices, initial=PartyKind.NATURAL)
    applicant_name = forms.CharField(label="申请人姓名/名称", max_length=100)
    applicant_id_number = forms.CharField(label="身份证号码/统一社会信用代码", max_length=40)
    applicant_phone = forms.CharField(label="联系电话", max_length=30, help_text="查询办理进度时需要输入该号码的后4位。")
    applicant_address = forms.CharField(label="通讯地址", max_length=300)
    legal_rep = forms.CharField(label="法定代表人/负责人", max_length=50, required=False)
    attachments = MultipleFileField(label="申请材料（行政行为文书、身份证明、证据等）", help_text=FILES_HELP)
    field_order = ["applicant_kind", "applicant_name", "applicant_id_number", "applicant_phone", "applicant_address", "legal_rep"]

    def clean_applicant_phone(self):
        try:
            return identity.normalize_phone(self.cleaned_data["applicant_phone"])
        except DomainError as exc:
            raise forms.ValidationError(f"联系电话：{exc.message}") from None

    def clean(self):
        d = super().clean()
        number = (d.get("applicant_id_number") or "").strip()
        if number:
            try:
                if d.get("applicant_kind", PartyKind.NATURAL) == PartyKind.NATURAL:
                    d["applicant_id_number"] = identity.normalize_id_number(number)
                else:
                    d["applicant_id_number"] = identity.normalize_uscc(number)
            except DomainError as exc:
                self.add_error("applicant_id_number", f"证件号码：{exc.message}")
        if d.get("applicant_kind") and d["applicant_kind"] != PartyKind.NATURAL and not (d.get("legal_rep") or "").strip():
            self.add_error("legal_rep", "法定代表人/负责人：法人或其他组织申请的，请填写。")
        return d


class HandOverApplicationForm(HandOverForm):
    """转行政复议申请 from a 12348 order or a visit: what an application needs that the source does not hold."""

    respondent_agency = dictionary_field(RESPONDENT_AGENCY, "被申请人")
    category = dictionary_field(FY_CATEGORY, "复议事项类别")
    contested_act = forms.CharField(label="被申请复议的行政行为", max_length=500)
    request = forms.CharField(
        label="行政复议请求", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="不填则以诉求内容为请求"
    )

    def setup(self):
        self.fields["owner_org"].label = "行政复议机构"
