"""Forms of the workflow steps. The generic case page shows them under the
step's date and reason (``cases:transition``); the API sends the same fields
as ``data``; the engine binds them once either way (``cases.forms.StepForm``),
and their cleaned data is what the steps of ``steps.py`` check and write.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone

from sifa.cases.forms import StepForm as BaseStepForm

from ..choices import (
    AgreementForm,
    ConfirmationStatus,
    MediatorChoice,
    NotAcceptedReason,
    Performance,
    RiskKind,
    RiskLevel,
    RiskStatus,
    Satisfaction,
    SessionKind,
    TerminationReason,
    VisitMethod,
)

MONEY_FIELD = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


class CheckList(forms.CheckboxSelectMultiple):
    """Checkboxes rendered as one Bootstrap list. ``input_type`` is not
    "checkbox", so the shared field template gives it a label like other fields."""

    input_type = "checklist"
    template_name = "mediation/widgets/checklist.html"


class StepForm(BaseStepForm):
    opened_label = "纠纷登记日期"


class NotAcceptForm(StepForm):
    not_accepted_reason = forms.ChoiceField(label="不予受理原因", choices=NotAcceptedReason.choices)


def _mediators_for(case):
    from django.db.models import Q

    from ..models import Mediator

    if case is None:
        return Mediator.objects.none()
    return (
        Mediator.objects.filter(is_active=True)
        .filter(Q(org=case.owner_org) | Q(memberships__committee=case.owner_org, memberships__active=True))
        .distinct()
        .order_by("name", "id")
    )


class AssignMediatorsForm(StepForm):
    mediators = forms.ModelMultipleChoiceField(
        label="调解员", queryset=None, widget=CheckList, help_text="本调解组织在职的人民调解员，可选一名或数名（人民调解法第十九条）。"
    )
    lead = forms.ModelChoiceField(
        label="主持调解的调解员",
        queryset=None,
        required=False,
        help_text="不选则为所选的第一位。主持调解的调解员有登录账号的，由其担任本案承办人；原承办人转为协办人，本案仍在其案件列表中。",
    )
    mediator_choice = forms.ChoiceField(label="产生方式", choices=MediatorChoice.choices)

    def setup(self):
        qs = _mediators_for(self.case)
        self.fields["mediators"].queryset = qs
        self.fields["lead"].queryset = qs

    def clean(self):
        data = super().clean()
        lead, chosen = data.get("lead"), data.get("mediators")
        if lead and chosen is not None and lead not in chosen:
            self.add_error("lead", "主持调解的调解员须在所选调解员之中。")
        return data


class PlannedSessionSelect(forms.Select):
    """The scheduled sessions, each option carrying its date, time, place and
    participants: choosing one fills them in (app.js, ``data-fills``)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        s = getattr(value, "instance", None)
        if s is not None:
            option["attrs"].update(
                {
                    "data-fill-kind": s.kind,
                    "data-fill-session_on": f"{s.on:%Y-%m-%d}",
                    "data-fill-at_time": f"{s.at_time:%H:%M}" if s.at_time else "",
                    "data-fill-place": s.place,
                    "data-fill-participants": s.participants,
                }
            )
        return option


# What a scheduled session brings to its record when the form leaves it empty.
PLANNED_FIELDS = {"kind": "kind", "session_on": "on", "at_time": "at_time", "place": "place", "participants": "participants"}


class SessionForm(StepForm):
    date_field, notes_field = "session_on", "record"
    planned = forms.ModelChoiceField(
        label="对应的已安排调解", queryset=None, required=False, widget=PlannedSessionSelect, help_text="选择后自动填入安排的日期、时间、地点和参加人。"
    )
    kind = forms.ChoiceField(label="类别", choices=SessionKind.choices, initial=SessionKind.MEDIATION, required=False)
    session_on = forms.DateField(label="调查/调解日期", widget=forms.DateInput, required=False)
    at_time = forms.TimeField(label="时间", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label="地点", max_length=200, required=False)
    participants = forms.CharField(label="参加人", max_length=300, required=False, help_text="当事人及其他参加人")
    mediators = forms.ModelMultipleChoiceField(
        label="调解员/调查人", queryset=None, required=False, widget=CheckList, help_text="本案已指派的调解员；不选则记为本人。"
    )
    record = forms.CharField(label="调查/调解情况记录", widget=forms.Textarea(attrs={"rows": 5}))

    def setup(self):
        from ..models import Mediator, Session

        qs = Session.objects.filter(dispute__case=self.case, held=False) if self.case is not None else Session.objects.none()
        self.fields["planned"].queryset = qs.order_by("on", "at_time")
        self.fields["planned"].label_from_instance = lambda s: f"{s.on:%Y-%m-%d}{s.at_time and f' {s.at_time:%H:%M}' or ''} {s.place}"
        self.fields["planned"].widget.attrs["data-fills"] = self.add_prefix("")
        assigned = (
            Mediator.objects.filter(dispute_links__dispute__case=self.case).order_by("-dispute_links__is_lead", "dispute_links__id")
            if self.case is not None
            else Mediator.objects.none()
        )
        self.fields["mediators"].queryset = assigned
        if not self.is_bound:
            self.fields["session_on"].initial = timezone.localdate()
            self.fields["mediators"].initial = list(assigned.values_list("pk", flat=True))

    def clean(self):
        data = super().clean()
        planned = data.get("planned")
        if planned is not None:
            for name, attr in PLANNED_FIELDS.items():
                if name not in self._errors and data.get(name) in (None, ""):
                    data[name] = getattr(planned, attr)
        if not data.get("kind") and "kind" not in self._errors:
            data["kind"] = SessionKind.MEDIATION
        for name, label in (("session_on", "调查/调解日期"), ("place", "地点")):
            if name not in self._errors and not data.get(name):
                self.add_error(name, f"请填写{label}。")
        self.not_future("session_on")
        self.not_before_opened("session_on")
        return data


class ScheduleForm(StepForm):
    kind = forms.ChoiceField(label="类别", choices=SessionKind.choices, initial=SessionKind.MEDIATION)
    session_on = forms.DateField(label="安排日期", widget=forms.DateInput)
    at_time = forms.TimeField(label="时间", required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label="地点", max_length=200)
    participants = forms.CharField(label="通知参加人", max_length=300, required=False)

    def clean_session_on(self):
        d = self.cleaned_data["session_on"]
        if d < timezone.localdate():
            raise forms.ValidationError("安排的日期不能早于今天。")
        return d


class ExtendForm(StepForm):
    consent = forms.BooleanField(label="双方当事人均同意延长调解期限", required=False)
    note = forms.CharField(label="延期说明", max_length=300, required=False)


class AgreementStepForm(StepForm):
    agreement_form = forms.ChoiceField(label="协议形式", choices=AgreementForm.choices, initial=AgreementForm.WRITTEN)
    facts = forms.CharField(label="纠纷的主要事实、争议事项及各方责任", required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="书面协议必填")
    agreement_content = forms.CharField(
        label="协议内容",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "没有调解协议内容，不能以调解成功结案（人民调解法第二十八条：口头协议也须记录协议内容）。"},
    )
    performance_manner = forms.CharField(label="履行方式", max_length=300, required=False, help_text="书面协议必填，如：一次性现金支付、银行转账")
    performance_deadline = forms.DateField(label="履行期限", required=False, widget=forms.DateInput, help_text="书面协议须写明（当场履行完毕的除外）")
    agreement_amount = forms.DecimalField(label="协议涉及金额（元）", required=False, **MONEY_FIELD)
    agreed_on = forms.DateField(label="达成协议日期", widget=forms.DateInput)
    effective_on = forms.DateField(
        label="协议生效日期",
        required=False,
        widget=forms.DateInput,
        help_text="书面协议自各方签名、盖章之日起生效；口头协议自达成之日起生效（人民调解法第二十九、三十条）",
    )
    performed_on_spot = forms.BooleanField(label="已当场履行完毕", required=False)

    def setup(self):
        if not self.is_bound:
            self.fields["agreed_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        self.not_future("agreed_on")
        self.not_before_opened("agreed_on")
        self.not_future("effective_on")
        agreed, effective = data.get("agreed_on"), data.get("effective_on")
        if data.get("agreement_form") == AgreementForm.ORAL:
            data["effective_on"] = agreed
        elif agreed and effective and effective < agreed:
            self.add_error("effective_on", "协议生效日期不能早于达成协议日期。")
        elif agreed and not effective:
            data["effective_on"] = agreed
        if data.get("agreement_form") == AgreementForm.WRITTEN:
            if not (data.get("facts") or "").strip():
                self.add_error("facts", "书面调解协议书须写明纠纷的主要事实、争议事项及各方责任。")
            if not (data.get("performance_manner") or "").strip():
                self.add_error("performance_manner", "书面调解协议书须写明履行方式。")
            if not data.get("performance_deadline") and not data.get("performed_on_spot"):
                self.add_error("performance_deadline", "书面调解协议书须写明履行期限（当场履行完毕的除外）。")
        deadline = data.get("performance_deadline")
        if deadline and agreed and deadline < agreed:
            self.add_error("performance_deadline", "履行期限不能早于达成协议日期。")
        return data


class TerminateForm(StepForm):
    termination_reason = forms.ChoiceField(label="终止原因", choices=TerminationReason.choices)
    routes_told = forms.BooleanField(label="已告知当事人可依法通过仲裁、行政、司法等途径维护权利（人民调解法第二十六条）", required=False)


class VisitForm(StepForm):
    date_field, notes_field = "visit_on", "notes"
    visit_on = forms.DateField(label="回访日期", widget=forms.DateInput)
    method = forms.ChoiceField(label="回访方式", choices=VisitMethod.choices)
    visited = forms.CharField(label="回访对象", max_length=200)
    performance = forms.ChoiceField(label="协议履行情况", choices=[c for c in Performance.choices if c[0] != Performance.PENDING])
    satisfaction = forms.ChoiceField(label="当事人满意度", choices=Satisfaction.choices)
    sued = forms.BooleanField(label="当事人已就协议起诉", required=False)
    new_risk = forms.BooleanField(label="发现纠纷有激化隐患", required=False)
    notes = forms.CharField(label="回访情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    measures = forms.CharField(label="采取的措施", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def setup(self):
        if not self.is_bound:
            self.fields["visit_on"].initial = timezone.localdate()
            if self.case is not None:
                self.fields["visited"].initial = "、".join(p.name for p in self.case.parties.all()[:4])

    def clean(self):
        data = super().clean()
        self.not_future("visit_on")
        self.not_before_opened("visit_on")
        if data.get("new_risk") and not (data.get("notes") or "").strip():
            self.add_error("notes", "发现激化隐患时请写明回访情况。")
        return data


class ConfirmationApplyForm(StepForm):
    court = forms.CharField(label="受理法院", max_length=100, help_text="主持调解的调委会所在地基层人民法院或其派出法庭")
    applied_on = forms.DateField(label="申请日期", widget=forms.DateInput)

    def clean(self):
        data = super().clean()
        self.not_future("applied_on")
        return data


class CourtAcceptForm(StepForm):
    decision = forms.ChoiceField(label="法院受理情况", choices=[(ConfirmationStatus.ACCEPTED, "受理"), (ConfirmationStatus.NOT_ACCEPTED, "不予受理")])
    court_on = forms.DateField(label="法院决定日期", widget=forms.DateInput)
    court_case_number = forms.CharField(label="案号（调确字）", max_length=60, required=False)

    def clean(self):
        data = super().clean()
        self.not_future("court_on")
        if data.get("decision") == ConfirmationStatus.ACCEPTED and not (data.get("court_case_number") or "").strip():
            self.add_error("court_case_number", "法院受理的，请填写“调确字”案号。")
        return data


class CourtDecisionForm(StepForm):
    decision = forms.ChoiceField(
        label="法院决定",
        choices=[
            (ConfirmationStatus.CONFIRMED, "确认调解协议有效"),
            (ConfirmationStatus.REJECTED, "驳回申请（不予确认）"),
            (ConfirmationStatus.WITHDRAWN, "当事人撤回申请"),
        ],
    )
    court_on = forms.DateField(label="决定日期", widget=forms.DateInput)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        self.not_future("court_on")
        return data


class RiskFlagForm(StepForm):
    risk_kind = forms.ChoiceField(label="风险类型", choices=RiskKind.choices)
    risk_level = forms.ChoiceField(label="风险等级", choices=RiskLevel.choices)
    risk_persons = forms.IntegerField(label="涉及人数", min_value=1, max_value=100000, initial=2)
    risk_note = forms.CharField(label="风险情况", widget=forms.Textarea(attrs={"rows": 3}))


class RiskReportForm(StepForm):
    reported_to = forms.CharField(label="报告单位", max_length=100, help_text="如：当地派出所、公安分局")
    contact = forms.CharField(label="接收人", max_length=100, required=False)
    measures = forms.CharField(label="采取的预防措施", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RiskResolveForm(StepForm):
    risk_status = forms.ChoiceField(
        label="处置结果", choices=[(RiskStatus.DEFUSED, RiskStatus.DEFUSED.label), (RiskStatus.ESCALATED, RiskStatus.ESCALATED.label)]
    )
    note = forms.CharField(label="处置情况", max_length=300, required=False)
