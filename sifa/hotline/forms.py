"""The line's forms: the call registration (one screen, under a minute), each
step's input and the list filter."""

from django import forms

from sifa.cases.forms import RegistrationForm, StepForm
from sifa.cases.lines import CaseFilter
from sifa.common.forms import LineForm, StyledFormMixin, name_fields
from sifa.orgs.models import Org
from sifa.orgs.selectors import bureau_of

from . import conf
from .choices import CASE_TYPE, DISPATCHED_TO, PLATFORMS, Appointment, CallbackWay, Category, Channel, Kind, Satisfaction, Target
from .selectors import waiting_at


def _blank(choices, label="请选择"):
    return [("", label), *choices]


class WorkOrderForm(RegistrationForm):
    """热线坐席 registers a call: who, what, and — answered on the spot — the answer,
    which closes the order at once."""

    opened_on = forms.DateField(label="受理日期", widget=forms.DateInput)
    channel = forms.ChoiceField(label="受理渠道", choices=Channel.choices, initial=Channel.HOTLINE)
    kind = forms.ChoiceField(label="工单类型", choices=Kind.choices, initial=Kind.CONSULT)
    appointment = forms.ChoiceField(label="预约事项", choices=_blank(Appointment.choices), required=False)
    category = forms.ChoiceField(label="法律类别", choices=Category.choices, initial=Category.OTHER)
    urgent = forms.BooleanField(label="紧急（当日办结）", required=False)
    caller_name = forms.CharField(label="诉求人姓名", max_length=100)
    caller_phone = forms.CharField(label="联系电话", max_length=30, required=False)
    respondent_name = forms.CharField(label="对方当事人", max_length=100, required=False, help_text="有纠纷对方的填写（转人民调解时带入）")
    summary = forms.CharField(label="诉求内容", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    external_ref = forms.CharField(label="转办平台工单编号", max_length=64, required=False, help_text="12345、110转来的工单填写对方编号，答复据此回传")
    external_due = forms.DateField(label="转办平台要求办结日期", required=False, widget=forms.DateInput)
    answer = forms.CharField(
        label="即时解答内容",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="当场解答的填写，工单即时办结；需派单办理的留空",
    )
    satisfaction = forms.ChoiceField(label="来电人评价", choices=_blank(Satisfaction.choices, "未评价"), required=False)
    past_dates = ("opened_on",)
    # On a call: who, what, the answer; the rest keeps its defaults (this desk, today, 12348电话).
    field_order = (
        "caller_name",
        "caller_phone",
        "kind",
        "category",
        "summary",
        "answer",
        "satisfaction",
        "appointment",
        "urgent",
        "respondent_name",
        "channel",
        "external_ref",
        "external_due",
        "owner_org",
        "opened_on",
    )

    def setup(self):
        self.fields["owner_org"].label = "受理单位"

    def clean(self):
        d = super().clean()
        if d.get("kind") == Kind.APPOINTMENT and not d.get("appointment"):
            self.add_error("appointment", "预约工单请选择预约事项。")
        if d.get("channel") in PLATFORMS and not (d.get("external_ref") or "").strip():
            self.add_error("external_ref", "12345、110转来的工单请填写转办平台工单编号。")
        if d.get("satisfaction") and not (d.get("answer") or "").strip():
            self.add_error("satisfaction", "即时解答办结的工单才登记来电人评价。")
        return d

    def parties(self) -> list[dict]:
        d = self.cleaned_data
        out = [{"role": "caller", "name": d["caller_name"], "phone": d.get("caller_phone") or ""}]
        if d.get("respondent_name"):
            out.append({"role": "respondent", "name": d["respondent_name"]})
        return out


class AcceptForm(StepForm):
    kind = forms.ChoiceField(label="工单类型", choices=Kind.choices)
    appointment = forms.ChoiceField(label="预约事项", choices=_blank(Appointment.choices), required=False)
    category = forms.ChoiceField(label="法律类别", choices=Category.choices)
    urgent = forms.BooleanField(label="紧急（当日办结）", required=False)

    def setup(self):
        if self.record is not None:
            for name in ("kind", "appointment", "category", "urgent"):
                self.fields[name].initial = getattr(self.record, name)

    def clean(self):
        d = super().clean()
        if d.get("kind") == Kind.APPOINTMENT and not d.get("appointment"):
            self.add_error("appointment", "预约工单请选择预约事项。")
        return d


class AnswerForm(StepForm):
    answer = forms.CharField(label="答复内容", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    satisfaction = forms.ChoiceField(label="来电人评价", choices=_blank(Satisfaction.choices, "未评价"), required=False)


def dispatch_orgs(case):
    """Where an order may go: active offices, legal-aid centres, mediation committees
    and public legal service centres under the bureau that owns it."""
    if case is None:
        return Org.objects.none()
    top = bureau_of(case.owner_org)
    return Org.objects.filter(path__startswith=top.path, is_active=True, kind__in=DISPATCHED_TO).exclude(pk=case.owner_org_id).order_by("path")


class DispatchForm(StepForm):
    target = forms.ChoiceField(label="派单对象", choices=Target.choices)
    org = forms.ModelChoiceField(label="承办单位", queryset=Org.objects.none(), required=False, help_text="派往律师事务所的，填写下方名称")
    firm = forms.CharField(label="律师事务所名称", max_length=100, required=False)
    instructions = forms.CharField(label="派单意见", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def setup(self):
        self.fields["org"].queryset = dispatch_orgs(self.case)
        self.fields["org"].label_from_instance = lambda o: o.name
        if self.record is not None and self.record.target:
            self.fields["target"].initial = self.record.target
            self.fields["org"].initial = self.record.dispatched_to_id

    def clean(self):
        d = super().clean()
        if d.get("target") == Target.LAW_FIRM:
            d["org"] = None
        elif d.get("target") and d.get("org") is None and "org" not in self.errors:
            self.add_error("org", f"请选择{Target(d['target']).label}。")
        return d


class ReplyForm(StepForm):
    answer = forms.CharField(label="办理结果（答复内容）", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    contacted = forms.BooleanField(label="已联系诉求人", required=False)


class ExtensionForm(StepForm):
    days = forms.IntegerField(label="申请延期（工作日）", min_value=1)
    extension_reason = forms.CharField(label="延期理由", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def setup(self):
        self.fields["days"].help_text = f"一次最多{conf.get('MAX_EXTENSION')}个工作日；须在办理时限届满前申请"

    def clean_days(self):
        days, top = self.cleaned_data["days"], int(conf.get("MAX_EXTENSION"))
        if days > top:
            raise forms.ValidationError(f"一次申请延期不能超过{top}个工作日。")
        return days


class ApproveExtensionForm(StepForm):
    days = forms.IntegerField(label="批准延期（工作日）", min_value=1)

    def setup(self):
        if self.record is not None and self.record.extension_requested:
            self.fields["days"].initial = self.record.extension_requested
            self.fields["days"].help_text = f"申请{self.record.extension_requested}个工作日：{self.record.extension_reason}"


class RemindForm(StepForm):
    note = forms.CharField(label="催办意见", max_length=500, required=False)


class NoteForm(StepForm):
    note = forms.CharField(label="说明", max_length=500, required=False)


class CallbackForm(StepForm):
    way = forms.ChoiceField(label="回访方式", choices=CallbackWay.choices, initial=CallbackWay.PHONE)
    satisfaction = forms.ChoiceField(label="满意度", choices=_blank(Satisfaction.choices), required=False)
    note = forms.CharField(label="回访情况", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        d = super().clean()
        if d.get("way") and d["way"] != CallbackWay.NONE and not d.get("satisfaction"):
            self.add_error("satisfaction", "请选择诉求人的满意度评价（联系不上的选择“联系不上”）。")
        if d.get("way") == CallbackWay.NONE:
            d["satisfaction"] = ""
        return d


class ReviewForm(StepForm):
    note = forms.CharField(
        label="复核意见", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}), help_text="经复核已依法依规办理、不满意属客观原因的，维持办结"
    )


class QualityForm(StepForm):
    score = forms.IntegerField(label="质检得分", min_value=0, max_value=100, help_text="百分制：受理规范、解答准确、服务态度、派单及时、记录完整")
    opinion = forms.CharField(label="质检意见", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class HotlineFilter(CaseFilter):
    case_type = CASE_TYPE
    channel = forms.ChoiceField(label="受理渠道", choices=_blank(Channel.choices, "全部"), required=False)
    kind = forms.ChoiceField(label="工单类型", choices=_blank(Kind.choices, "全部"), required=False)
    category = forms.ChoiceField(label="法律类别", choices=_blank(Category.choices, "全部"), required=False)
    satisfaction = forms.ChoiceField(label="满意度", choices=_blank(Satisfaction.choices, "全部"), required=False)
    external_ref = forms.CharField(label="转办平台工单编号", required=False)
    mine = forms.BooleanField(label="派给本单位办理的", required=False)
    lookups = {
        "channel": "workorder__channel",
        "kind": "workorder__kind",
        "category": "workorder__category",
        "satisfaction": "workorder__satisfaction",
        "external_ref": "workorder__external_ref",
    }

    def filter_mine(self, qs, value):
        if not value or self.user is None or self.user.org_id is None:
            return qs
        return qs.filter(waiting_at(self.user.org))


class PublicQuestionForm(forms.Form):
    """The portal's question or appointment (no login; the portal adds the declaration and CSRF)."""

    name = forms.CharField(label="姓名", max_length=50)
    phone = forms.RegexField(
        label="联系电话", regex=r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$", error_messages={"invalid": "联系电话：请填写手机号码或带区号的固定电话。"}
    )
    appointment = forms.ChoiceField(label="预约服务", choices=_blank(Appointment.choices, "不预约，仅咨询"), required=False)
    category = forms.ChoiceField(label="问题类别", choices=Category.choices, initial=Category.OTHER)
    summary = forms.CharField(label="问题描述", max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_fields(self)  # "请填写问题描述。": a message that names the field


class KnowledgeForm(LineForm):
    """An entry of the knowledge base."""

    category = forms.ChoiceField(label="法律类别", choices=Category.choices, initial=Category.OTHER)
    question = forms.CharField(label="问题", max_length=200)
    answer = forms.CharField(label="解答口径", max_length=8000, widget=forms.Textarea(attrs={"rows": 6}))
    basis = forms.CharField(label="法律依据", max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    keywords = forms.CharField(label="关键词", max_length=200, required=False, help_text="以空格分隔，如：欠薪 讨薪 拖欠工资")
    is_active = forms.BooleanField(label="启用（坐席检索时可见）", required=False, initial=True)


class AnswerSearchForm(forms.Form):
    q = forms.CharField(label="关键词", max_length=100, required=False)
    category = forms.ChoiceField(label="法律类别", choices=_blank(Category.choices, "全部"), required=False)


class SearchForm(StyledFormMixin, AnswerSearchForm):
    """The knowledge list's filter bar (one line of small controls) and the call panel's
    query; ``order``: most quoted first (what operators reach for) or the newest change
    first (what a keeper checks after editing), keys of ``selectors.ANSWER_ORDERS``."""

    order = forms.ChoiceField(label="排序", choices=(("used", "最常引用"), ("new", "最近更新")), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            small = "form-select-sm" if isinstance(field.widget, forms.Select) else "form-control-sm"
            field.widget.attrs["class"] += " " + small
        self.fields["q"].widget.attrs["placeholder"] = "如：欠薪 仲裁"


class KnowledgeEditForm(KnowledgeForm):
    # The entry's version (updated_at) when the page was opened: a save over another
    # keeper's change since then is refused (409), never a silent overwrite.
    seen = forms.CharField(widget=forms.HiddenInput, required=False)
