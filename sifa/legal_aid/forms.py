"""The line's forms: registration (an application or a notice), each step's
input and the list filter."""

from decimal import Decimal

from django import forms

from sifa.cases.forms import RegistrationForm, StepForm
from sifa.cases.lines import CaseFilter
from sifa.common import identity
from sifa.common.forms import LineForm, MultipleFileField, normalized

from . import conf
from .choices import (
    CASE_TYPE,
    GROUPS,
    AssignMode,
    Category,
    Exemption,
    Grade,
    Ground,
    Kind,
    MeansBasis,
    NotifyingOrgan,
    Outcome,
    ProviderKind,
    Satisfaction,
    Stage,
    Termination,
)


def _blank(choices):
    return [("", "请选择"), *choices]


class LegalAidForm(RegistrationForm):
    kind = forms.ChoiceField(label="来源", choices=Kind.choices, initial=Kind.APPLY)
    opened_on = forms.DateField(label="收到申请/通知日期", widget=forms.DateInput)
    title = forms.CharField(label="案由", max_length=200, help_text="如：张某追索劳动报酬")
    category = forms.ChoiceField(label="案件类别", choices=_blank(Category.choices))
    stage = forms.ChoiceField(label="刑事诉讼阶段", choices=_blank(Stage.choices), required=False)
    ground = forms.ChoiceField(label="援助依据（法律援助法）", choices=_blank(Ground.choices), required=False)
    capital = forms.BooleanField(label="可能判处无期徒刑、死刑，或死刑复核案件", required=False)
    notifying_organ = forms.ChoiceField(label="通知机关类别", choices=_blank(NotifyingOrgan.choices), required=False)
    notifying_name = forms.CharField(label="通知机关", max_length=100, required=False)
    notice_number = forms.CharField(label="通知书文号", max_length=60, required=False)
    submitted_on = forms.DateField(
        label="羁押人员提出申请日期", required=False, widget=forms.DateInput, help_text="羁押人员申请转交的，填写其向看守所等提出申请的日期（应在24小时内转交）"
    )
    income = forms.DecimalField(label="家庭月人均收入（元）", max_digits=10, decimal_places=2, min_value=Decimal(0), required=False)
    economy = forms.CharField(label="经济状况说明", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    groups = forms.MultipleChoiceField(label="特殊群体", choices=list(GROUPS.items()), required=False, widget=forms.CheckboxSelectMultiple)
    summary = forms.CharField(label="申请事项和理由", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    past_dates = ("opened_on", "submitted_on")

    def setup(self):
        self.fields["owner_org"].label = "法律援助机构"
        self.fields["owner_org"].help_text = "申请由有管辖权的法律援助机构审查；在司法所受理的，本所可继续查看办理进展。"

    def clean(self):
        d = super().clean()
        if d.get("category") == Category.CRIMINAL and not d.get("stage"):
            self.add_error("stage", "刑事案件请选择诉讼阶段。")
        if d.get("category") != Category.CRIMINAL and (d.get("stage") or d.get("capital")):
            self.add_error("stage", "只有刑事案件填写诉讼阶段和是否可能判处无期徒刑、死刑。")
        if d.get("kind") == Kind.NOTIFY:
            for name in ("notifying_organ", "notifying_name"):
                if not d.get(name):
                    self.add_error(name, f"通知辩护/代理请填写{self.fields[name].label}。")
        return d


class MaterialsForm(StepForm):
    missing = forms.CharField(
        label="需补充的材料",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=f"一次性告知；期限内（默认{conf.get('MATERIALS_DAYS')}日）未补充的，视为撤回申请。",
    )


class GrantForm(StepForm):
    def setup(self):
        standard = conf.get("MEANS_STANDARD")
        if standard:
            self.fields["means_basis"].help_text = f"本地经济困难标准：家庭月人均收入不高于{standard}元（第三十四条）。"

    means_basis = forms.ChoiceField(label="经济困难审查方式", choices=_blank(MeansBasis.choices))
    exemption = forms.ChoiceField(label="免予核查情形（第四十二条）", choices=_blank(Exemption.choices), required=False)
    first_provided = forms.BooleanField(label="先行提供法律援助（第四十四条）", required=False)
    decision_number = forms.CharField(label="决定书文号", max_length=60, required=False, help_text="留空则按本中心文号自动编号")

    def clean(self):
        d = super().clean()
        if d.get("means_basis") == MeansBasis.EXEMPT and not d.get("exemption"):
            self.add_error("exemption", "免予核查的，请选择第四十二条规定的情形。")
        if d.get("means_basis") != MeansBasis.EXEMPT and d.get("exemption"):
            self.add_error("exemption", "只有免予核查的才选择免予核查情形。")
        return d


class AssignForm(StepForm):
    provider = forms.ChoiceField(label="承办人员")
    assign_mode = forms.ChoiceField(label="指派方式", choices=AssignMode.choices, initial=AssignMode.ROTATION)
    assign_reason = forms.CharField(label="指派理由", max_length=200, required=False, help_text="指定指派或受援人选择的，写明理由")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import providers_for

        self.providers = list(providers_for(self.case)) if self.case is not None else []
        self.fields["provider"].choices = _blank([(str(p.pk), f"{p}（{ProviderKind(p.kind).label}）") for p in self.providers])
        if self.case is not None and not self.is_bound:
            from django.utils import timezone

            from .selectors import next_in_rotation

            turn = next_in_rotation(self.case, timezone.localdate())
            if turn is not None:
                self.fields["provider"].initial = str(turn.pk)
                self.fields["provider"].help_text = f"轮流指派：按人员库顺序，本次轮到{turn.name}；指定指派或受援人选择的请写明理由。"

    def clean_provider(self):
        return next((p for p in self.providers if str(p.pk) == self.cleaned_data["provider"]), None)

    def clean(self):
        d = super().clean()
        if d.get("assign_mode") in (AssignMode.CHOICE, AssignMode.APPLICANT) and not d.get("assign_reason"):
            self.add_error("assign_reason", "指定指派或受援人选择的，请写明理由。")
        return d


class AgreementForm(StepForm):
    agreement_on = forms.DateField(label="签订委托/辩护协议日期", widget=forms.DateInput)

    def clean(self):
        d = super().clean()
        self.not_future("agreement_on")
        self.not_before_opened("agreement_on")
        return d


class ProgressForm(StepForm):
    note = forms.CharField(
        label="办理进展", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), help_text="会见、阅卷、开庭、调解等，向受援人通报的情况"
    )
    court_date = forms.DateField(label="开庭/仲裁庭审日期", required=False, widget=forms.DateInput, help_text="已确定的下次开庭日期")
    attachments = MultipleFileField(label="材料（会见笔录、开庭通知等）", required=False)


class EndForm(StepForm):
    outcome = forms.ChoiceField(label="办理结果", choices=_blank(Outcome.choices))
    fees_waived = forms.DecimalField(label="免收律师费（元）", max_digits=12, decimal_places=2, min_value=Decimal(0), required=False)
    losses_recovered = forms.DecimalField(label="挽回经济损失（元）", max_digits=14, decimal_places=2, min_value=Decimal(0), required=False)


class ClosingForm(StepForm):
    report = forms.CharField(
        label="办理情况报告", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}), help_text="连同法律文书副本等结案材料一并提交（第五十条）"
    )
    attachments = MultipleFileField(label="结案材料（判决书、调解书等法律文书副本）", required=False)


CHECKLIST = (
    ("application", "申请/通知材料"),
    ("identity", "身份证明"),
    ("means", "经济困难证明或承诺"),
    ("decision", "决定、指派材料及送达回证"),
    ("agreement", "委托/辩护协议"),
    ("documents", "据以结案的法律文书"),
    ("report", "办理情况报告"),
)


class CloseForm(StepForm):
    checklist = forms.MultipleChoiceField(label="结案材料审查", choices=CHECKLIST, widget=forms.CheckboxSelectMultiple, help_text="逐项核对卷宗材料")
    grade = forms.ChoiceField(label="质量评估等级", choices=_blank(Grade.choices), required=False)
    satisfaction = forms.ChoiceField(label="回访满意度", choices=_blank(Satisfaction.choices), required=False)

    def clean_checklist(self):
        got = set(self.cleaned_data["checklist"])
        missing = [label for key, label in CHECKLIST if key not in got]
        if missing:
            raise forms.ValidationError("结案材料不全：" + "、".join(missing) + "。可退回补充。")
        return sorted(got)


class TerminateForm(StepForm):
    termination = forms.ChoiceField(label="终止情形（第四十八条）", choices=_blank(Termination.choices))


class ObjectionDecisionForm(StepForm):
    opinion = forms.CharField(label="审查意见", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ProviderForm(LineForm):
    name = forms.CharField(label="姓名", max_length=50)
    kind = forms.ChoiceField(label="类别", choices=ProviderKind.choices)
    firm = forms.CharField(label="执业机构", max_length=100, required=False)
    license_no = forms.CharField(label="执业证号", max_length=30, required=False)
    practice_since = forms.DateField(label="执业起始日期", required=False, widget=forms.DateInput)
    specialities = forms.CharField(label="擅长领域", max_length=200, required=False)
    user = forms.ChoiceField(label="登录账号", required=False, help_text="援助律师的账号由系统管理员开设；关联后该律师登录只能看到指派给本人的案件")
    is_active = forms.BooleanField(label="在库（可被指派）", required=False, initial=True)
    past_dates = ("practice_since",)

    def __init__(self, *args, logins=(), **kwargs):
        self.logins = list(logins)
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "不关联")] + [(str(u.pk), f"{u.display_name}（{u.username}）") for u in self.logins]

    def clean_user(self):
        return next((u for u in self.logins if str(u.pk) == self.cleaned_data["user"]), None)


class LegalAidFilter(CaseFilter):
    case_type = CASE_TYPE
    category = forms.ChoiceField(label="案件类别", choices=[("", "全部"), *Category.choices], required=False)
    kind = forms.ChoiceField(label="来源", choices=[("", "全部"), *Kind.choices], required=False)
    lookups = {"category": "legalaid__category", "kind": "legalaid__kind"}


class PublicApplicationForm(forms.Form):
    """The portal's online application (法律援助法 §38, §41)."""

    live_checks = {"applicant_id_number": "id", "applicant_phone": "phone"}
    applicant_name = forms.CharField(label="申请人姓名", max_length=100)
    applicant_id_number = forms.CharField(label="身份证号码", max_length=18)
    applicant_phone = forms.CharField(label="联系电话", max_length=30, help_text="查询办理进度时需要输入该号码的后4位。")
    applicant_address = forms.CharField(label="通讯地址", max_length=300, required=False)
    title = forms.CharField(label="申请事项", max_length=200, help_text="如：追索劳动报酬、离婚纠纷代理")
    category = forms.ChoiceField(label="案件类别", choices=_blank([c for c in Category.choices if c[0] != Category.CRIMINAL]))
    income = forms.DecimalField(label="家庭月人均收入（元）", max_digits=10, decimal_places=2, min_value=Decimal(0))
    economy = forms.CharField(
        label="经济状况说明", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}), help_text="家庭人口、收入来源等；也可以在审查时作出个人诚信承诺"
    )
    summary = forms.CharField(label="案情和申请理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def clean_applicant_phone(self):
        return normalized(self, "applicant_phone", identity.normalize_phone)

    def clean_applicant_id_number(self):
        return normalized(self, "applicant_id_number", identity.normalize_id_number)


class QualityForm(StepForm):
    """The score sheet of a quality assessment (SF/T 0085 style; ``conf.QUALITY_SHEET``)."""

    opinion = forms.CharField(label="评估意见", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        opinion = self.fields.pop("opinion")
        for key, label, top in conf.get("QUALITY_SHEET"):
            self.fields[f"score_{key}"] = forms.IntegerField(label=f"{label}（满分{top}）", min_value=0, max_value=top)
            self.fields[f"score_{key}"].widget.attrs["class"] = "form-control"
        self.fields["opinion"] = opinion
        from sifa.common.forms import name_fields

        name_fields(self)
