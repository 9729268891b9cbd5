"""The line's forms: receiving a person (登记接收), the 调查评估 entrustment, each
step's input and the list filters. Every message names its field."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from sifa.cases.forms import RegistrationForm, StepForm
from sifa.cases.lines import CaseFilter
from sifa.common import identity
from sifa.common.errors import DomainError
from sifa.common.forms import LineForm

from . import conf
from .choices import (
    APPROVAL_KINDS as KINDS,
)
from .choices import (
    APPROVAL_SPANS as SPANS,
)
from .choices import (
    ASSESSMENT,
    CASE_TYPE,
    ActivityKind,
    Category,
    DecisionOrgan,
    Entruster,
    Grade,
    MonitorCase,
    MonthResult,
    Opinion,
    ReleaseKind,
    ReportWay,
    Reward,
    Sanction,
    TeamRole,
    TerminationKind,
)

TEXT = {"rows": 3}


def _blank(choices, label="请选择"):
    return [("", label), *choices]


class SubjectFields(LineForm):
    """The person (the case's party ``subject``): ID number required, it decides sex and age."""

    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号码", max_length=18)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    address = forms.CharField(label="居住地址", max_length=300)

    def clean_id_number(self):
        try:
            return identity.normalize_id_number(self.cleaned_data["id_number"])
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean_phone(self):
        value = self.cleaned_data.get("phone") or ""
        try:
            return identity.normalize_phone(value) if value else ""
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None

    def parties(self, role: str = "subject") -> list[dict]:
        d = self.cleaned_data
        idn = d["id_number"]
        return [
            {
                "role": role,
                "name": d["name"],
                "id_type": "id_card",
                "id_number": idn,
                "phone": d.get("phone", ""),
                "address": d.get("address", ""),
                "gender": identity.id_gender(idn),
            }
        ]


class SubjectForm(RegistrationForm, SubjectFields):
    """登记接收: the decision's documents arrived; the person has 10 days to report (§20–21)."""

    category = forms.ChoiceField(label="矫正类别", choices=_blank(Category.choices))
    decision_organ = forms.ChoiceField(label="决定机关类别", choices=DecisionOrgan.choices)
    decision_org_name = forms.CharField(label="决定机关", max_length=100)
    judgment_no = forms.CharField(label="判决书/裁定书/决定书文号", max_length=100, required=False)
    effective_on = forms.DateField(label="判决/裁定/决定生效日期", widget=forms.DateInput)
    notified_on = forms.DateField(label="收到执行通知日期", required=False, widget=forms.DateInput)
    opened_on = forms.DateField(label="收到法律文书日期", widget=forms.DateInput)
    crime = forms.CharField(label="罪名", max_length=200)
    sentence = forms.CharField(label="原判刑罚及刑期", max_length=500, required=False)
    additional_penalty = forms.CharField(label="附加刑", max_length=100, required=False)
    prohibition = forms.CharField(label="禁止令内容", max_length=1000, required=False, widget=forms.Textarea(attrs=TEXT))
    term_start = forms.DateField(label="矫正期限起日", widget=forms.DateInput)
    term_end = forms.DateField(label="矫正期限止日", widget=forms.DateInput)
    past_dates = ("effective_on", "notified_on", "opened_on")
    field_order = ("owner_org", "name", "id_number", "phone", "address", "category")

    def clean(self):
        d = super().clean()
        start, end, eff = d.get("term_start"), d.get("term_end"), d.get("effective_on")
        if start and end and end <= start:
            self.add_error("term_end", "矫正期限止日应晚于起日。")
        if eff and d.get("opened_on") and d["opened_on"] < eff:
            self.add_error("opened_on", "收到法律文书日期不能早于生效日期。")
        if eff and d.get("notified_on") and d["notified_on"] < eff:
            self.add_error("notified_on", "收到执行通知日期不能早于生效日期。")
        return d


class InquiryForm(RegistrationForm, SubjectFields):
    """调查评估委托 (§18)."""

    entruster = forms.ChoiceField(label="委托单位类别", choices=Entruster.choices)
    entruster_name = forms.CharField(label="委托单位", max_length=100)
    letter_no = forms.CharField(label="委托函文号", max_length=100, required=False)
    opened_on = forms.DateField(label="收到委托函日期", widget=forms.DateInput)
    fast_track = forms.BooleanField(label="适用速裁程序（5个工作日内完成）", required=False)
    crime = forms.CharField(label="涉嫌/判决罪名", max_length=200)
    proposed_category = forms.ChoiceField(label="拟适用矫正类别", choices=_blank(Category.choices))
    past_dates = ("opened_on",)
    field_order = ("owner_org", "name", "id_number", "phone", "address")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["address"].label = "居住地"


# --- steps ---------------------------------------------------------------------------------------


class ReportForm(StepForm):
    way = forms.ChoiceField(label="接收方式", choices=(("self", "本人报到"), ("transfer", "移送接收（暂予监外执行）")))
    identity_checked = forms.BooleanField(label="已核对法律文书、核实身份", help_text="《社区矫正法》第二十二条")
    note = forms.CharField(label="报到情况", max_length=1000, required=False)


class DeclareForm(StepForm):
    place = forms.CharField(label="宣告地点", max_length=100, initial="司法所宣告室")
    attendees = forms.CharField(label="参加人员", max_length=300, help_text="司法所、村（居）委会、家庭成员等")


class TeamForm(StepForm):
    members = forms.CharField(
        label="矫正小组成员",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每行一人：姓名，身份，性别，单位或关系，电话。身份：" + "、".join(TeamRole.labels),
    )

    def clean_members(self):
        roles = {label: value for value, label in TeamRole.choices}
        out, errors = [], []
        for n, line in enumerate((self.cleaned_data["members"] or "").splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace(",", "，").split("，")]
            if len(parts) < 3:
                errors.append(f"第{n}行：至少填写姓名、身份、性别。")
                continue
            name, role, sex = parts[:3]
            if role not in roles:
                errors.append(f"第{n}行：身份“{role}”不在可选范围（{'、'.join(roles)}）。")
            if sex not in ("男", "女"):
                errors.append(f"第{n}行：性别填“男”或“女”。")
            out.append(
                {
                    "name": name[:50],
                    "role": roles.get(role, ""),
                    "gender": "F" if sex == "女" else "M",
                    "unit": (parts[3] if len(parts) > 3 else "")[:100],
                    "phone": parts[4] if len(parts) > 4 else "",
                }
            )
        if errors:
            raise forms.ValidationError("矫正小组成员：" + "；".join(errors))
        if not out:
            raise forms.ValidationError("矫正小组成员：请至少填写一人。")
        return out


class PlanForm(StepForm):
    supervision = forms.CharField(label="监督管理措施", max_length=3000, widget=forms.Textarea(attrs=TEXT))
    education = forms.CharField(label="教育矫正措施", max_length=3000, widget=forms.Textarea(attrs=TEXT))
    assistance = forms.CharField(label="帮困扶助措施", max_length=3000, required=False, widget=forms.Textarea(attrs=TEXT))
    other = forms.CharField(label="其他措施", max_length=3000, required=False, widget=forms.Textarea(attrs=TEXT))


class GradeForm(StepForm):
    grade = forms.ChoiceField(label="调整为", choices=Grade.choices)
    basis = forms.CharField(label="调整依据", max_length=500, help_text="如：连续普管满6个月、季度考核平均80分以上")


class ActivityForm(StepForm):
    kind = forms.ChoiceField(label="类别", choices=ActivityKind.choices)
    way = forms.ChoiceField(label="方式", choices=_blank(ReportWay.choices, "—"), required=False, help_text="报告、谈话的方式")
    hours = forms.DecimalField(label="时长（小时）", min_value=0, max_value=24, decimal_places=1, required=False, help_text="教育学习、公益活动填写")
    note = forms.CharField(label="情况", max_length=1000, widget=forms.Textarea(attrs=TEXT))

    def clean(self):
        d = super().clean()
        kind = d.get("kind")
        if kind in (ActivityKind.STUDY, ActivityKind.SERVICE) and not d.get("hours"):
            self.add_error("hours", "教育学习、公益活动请填写时长。")
        if kind == ActivityKind.REPORT and not d.get("way"):
            self.add_error("way", "报告请选择方式（当面、电话、视频）。")
        self.not_future("on")
        return d


class ApplyForm(StepForm):
    kind = forms.ChoiceField(label="审批事项", choices=_blank(list(KINDS.items())))
    start = forms.DateField(label="开始日期", required=False, widget=forms.DateInput, help_text="外出、经常性跨市县活动、进入特定场所填写")
    end = forms.DateField(label="结束日期", required=False, widget=forms.DateInput)
    destination = forms.CharField(label="目的地/新执行地/场所", max_length=200, required=False)
    visitor = forms.CharField(label="会见对象", max_length=100, required=False)
    monitor_case = forms.ChoiceField(label="使用电子定位的情形", choices=_blank(MonitorCase.choices), required=False)
    months = forms.IntegerField(label="电子定位期限（月）", min_value=1, required=False)
    purpose = forms.CharField(label="申请事由", max_length=1000, widget=forms.Textarea(attrs=TEXT))

    def clean(self):
        d = super().clean()
        kind = d.get("kind")
        if kind in SPANS:
            for name in ("start", "end"):
                if not d.get(name):
                    self.add_error(name, f"{KINDS[kind]}请填写{self.fields[name].label}。")
            if d.get("start") and d.get("end") and d["end"] < d["start"]:
                self.add_error("end", "结束日期不能早于开始日期。")
        if kind in ("leave", "work", "move", "place") and not d.get("destination"):
            self.add_error("destination", f"{KINDS[kind]}请填写目的地/新执行地/场所。")
        if kind == "visit" and not d.get("visitor"):
            self.add_error("visitor", "会客请填写会见对象。")
        if kind == "monitor":
            if not d.get("monitor_case"):
                self.add_error("monitor_case", "请选择《社区矫正法》第二十九条规定的情形。")
            cap = int(conf.get("MONITOR_MAX_MONTHS"))
            if not d.get("months"):
                self.add_error("months", "请填写电子定位期限。")
            elif d["months"] > cap:
                self.add_error("months", f"电子定位期限每次不得超过{cap}个月。")
        return d


class OpinionForm(StepForm):
    opinion = forms.CharField(label="意见", max_length=500, required=False)


class BackForm(StepForm):
    note = forms.CharField(label="返回报告情况", max_length=500, required=False)


class RenewForm(StepForm):
    months = forms.IntegerField(label="续期（月）", min_value=1)

    def clean_months(self):
        cap = int(conf.get("MONITOR_MAX_MONTHS"))
        if self.cleaned_data["months"] > cap:
            raise forms.ValidationError(f"续期每次不得超过{cap}个月。")
        return self.cleaned_data["months"]


class MonthForm(StepForm):
    month = forms.DateField(label="考核月份", widget=forms.DateInput(attrs={"type": "month"}), input_formats=["%Y-%m", "%Y-%m-%d"])
    result = forms.ChoiceField(label="考核结果", choices=MonthResult.choices)
    note = forms.CharField(label="考核说明", max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.case is not None and not self.is_bound:
            # Last month, and the result its record suggests (福建: any 训诫/警告/治安处罚 不合格;
            # a reward 良好; otherwise 合格); the officer decides.
            from .models import Discipline

            month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
            kinds = set(Discipline.objects.filter(case=self.case, on__gte=month, on__lt=timezone.localdate().replace(day=1)).values_list("kind", flat=True))
            result = (
                MonthResult.FAIL
                if kinds & {Sanction.ADMONISH, Sanction.WARN, Sanction.PENALTY}
                else MonthResult.GOOD
                if kinds & set(Reward.values)
                else MonthResult.PASS
            )
            self.initial.setdefault("month", f"{month:%Y-%m}")
            self.initial.setdefault("result", result)

    def clean_month(self):
        m = self.cleaned_data["month"].replace(day=1)
        if m > timezone.localdate():
            raise forms.ValidationError("考核月份不能晚于本月。")
        return m


class RewardForm(StepForm):
    kind = forms.ChoiceField(label="奖励", choices=Reward.choices)
    facts = forms.CharField(label="事实与理由", max_length=2000, widget=forms.Textarea(attrs=TEXT))
    doc_no = forms.CharField(label="文号", max_length=60, required=False)


class SanctionForm(StepForm):
    kind = forms.ChoiceField(label="惩处/提请", choices=Sanction.choices)
    facts = forms.CharField(label="违反监督管理规定的事实与理由", max_length=2000, widget=forms.Textarea(attrs=TEXT))
    doc_no = forms.CharField(label="文号", max_length=60, required=False)
    proposed = forms.BooleanField(label="依系统提示作出", required=False, widget=forms.HiddenInput)


class CorrectedForm(StepForm):
    discipline = forms.ChoiceField(label="认定已改正的惩处", choices=())
    note = forms.CharField(label="改正情况", max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Discipline

        rows = Discipline.objects.filter(case=self.case, kind__in=(Sanction.ADMONISH, Sanction.WARN), corrected_on__isnull=True) if self.case else []
        self.fields["discipline"].choices = [(str(r.pk), str(r)) for r in rows]


class LostForm(StepForm):
    circumstances = forms.CharField(label="脱管情况", max_length=1000, widget=forms.Textarea(attrs=TEXT))
    notified = forms.CharField(label="通报情况", max_length=500, required=False, help_text="已通报公安机关、检察院等")


class FoundForm(StepForm):
    search = forms.CharField(label="查找情况", max_length=2000, widget=forms.Textarea(attrs=TEXT))


class SummaryForm(StepForm):
    personal_summary = forms.CharField(label="个人总结", max_length=4000, widget=forms.Textarea(attrs=TEXT))
    appraisal = forms.CharField(label="司法所书面鉴定", max_length=4000, widget=forms.Textarea(attrs=TEXT))
    resettlement_advice = forms.CharField(label="安置帮教建议", max_length=2000, required=False, widget=forms.Textarea(attrs=TEXT))


class ReleaseForm(StepForm):
    kind = forms.ChoiceField(label="解除类型", choices=ReleaseKind.choices)
    doc_no = forms.CharField(label="解除社区矫正证明书文号", max_length=100, required=False)
    notified_court = forms.BooleanField(label="已通知决定机关（人民法院等）")
    notified_procuratorate = forms.BooleanField(label="已通知人民检察院")
    notified_police = forms.BooleanField(label="已通知公安机关")


class TerminateForm(StepForm):
    kind = forms.ChoiceField(label="终止类型", choices=TerminationKind.choices)
    doc_no = forms.CharField(label="裁定书/决定书文号", max_length=100, required=False)
    reoffended = forms.BooleanField(label="因矫正期间重新犯罪", required=False)


class InvestigateForm(StepForm):
    note = forms.CharField(label="调查情况", max_length=4000, widget=forms.Textarea(attrs=TEXT), help_text="走访、座谈对象及了解的情况")


class OpinionIssueForm(StepForm):
    opinion = forms.ChoiceField(label="评估意见", choices=_blank(Opinion.choices))
    opinion_text = forms.CharField(label="调查评估情况及意见", max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))


# --- lists ---------------------------------------------------------------------------------------


class SubjectFilter(CaseFilter):
    case_type = CASE_TYPE
    category = forms.ChoiceField(label="矫正类别", choices=_blank(Category.choices, "全部类别"), required=False)
    grade = forms.ChoiceField(label="管理等级", choices=_blank(Grade.choices, "全部等级"), required=False)
    lookups = {"category": "subject__category", "grade": "subject__grade"}


class InquiryFilter(CaseFilter):
    case_type = ASSESSMENT
    entruster = forms.ChoiceField(label="委托单位", choices=_blank(Entruster.choices, "全部"), required=False)
    lookups = {"entruster": "inquiry__entruster"}
