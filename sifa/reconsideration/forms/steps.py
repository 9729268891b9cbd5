"""Forms of the reconsideration workflow's steps. Each is built as
``Form(data, files, case=case)``; its cleaned data becomes the step's ``data``.
Cross-field rules live here; rules that need the case's state or the step's
date live in the step's guard (``workflow.fy``)."""

from __future__ import annotations

import re

from django import forms

from sifa.cases.forms import StepForm
from sifa.common.forms import dictionary_field

from ..choices import (
    DECISION_KINDS,
    FY_REFUSAL_REASON,
    NEEDS_COMPETENT_ORGAN,
    RESPONDENT_AGENCY,
    REVOKING,
    SIMPLIFIED_AMOUNT_LIMIT,
    HearMethod,
    MediationResult,
    NormReviewOrigin,
    NormReviewResult,
    OpinionKind,
    Outcome,
    Procedure,
    SimplifiedGround,
    SuspensionGround,
    TerminationReason,
)

TEXTAREA = {"rows": 4}


class AcceptForm(StepForm):
    procedure = forms.ChoiceField(label="审理程序", choices=Procedure.choices, initial=Procedure.ORDINARY)
    simplified_ground = forms.ChoiceField(
        label="适用简易程序的情形", required=False, choices=[("", "—")] + list(SimplifiedGround.choices), help_text="适用简易程序时必选（第五十三条）。"
    )

    def clean(self):
        d = super().clean()
        if d.get("procedure") == Procedure.SIMPLIFIED:
            if not d.get("simplified_ground"):
                self.add_error("simplified_ground", "适用简易程序的情形：请选择第五十三条规定的情形。")
            elif d["simplified_ground"] == SimplifiedGround.SMALL_AMOUNT:
                app = self.record
                if app is not None and (app.amount is None or app.amount > SIMPLIFIED_AMOUNT_LIMIT):
                    self.add_error("simplified_ground", f"适用简易程序的情形：本案涉及款额未登记或超过{SIMPLIFIED_AMOUNT_LIMIT:,}元。")
        elif d.get("procedure"):
            d["simplified_ground"] = ""
        return d


class NotAcceptForm(StepForm):
    refusal_reason = dictionary_field(FY_REFUSAL_REASON, "不予受理理由")
    competent_organ = forms.CharField(
        label="有管辖权的行政复议机关", max_length=100, required=False, help_text="不属于本机关管辖的，应当告知（第三十条第二款）。"
    )
    explanation = forms.CharField(label="说明理由", widget=forms.Textarea(attrs=TEXTAREA), max_length=2000)

    def clean(self):
        d = super().clean()
        if d.get("refusal_reason") in NEEDS_COMPETENT_ORGAN and not (d.get("competent_organ") or "").strip():
            self.add_error("competent_organ", "有管辖权的行政复议机关：不属于本机关管辖的，须写明有管辖权的行政复议机关。")
        return d


class CorrectionForm(StepForm):
    items = forms.CharField(label="需要补正的事项（一次性列明）", widget=forms.Textarea(attrs=TEXTAREA), max_length=2000)
    served_on = forms.DateField(
        label="申请人收到补正通知日期", required=False, widget=forms.DateInput, help_text="补正期限自收到通知之日起计算；不填则按通知当日计。"
    )


class ExtendCorrectionForm(StepForm):
    days = forms.IntegerField(label="延长补正期限（工作日）", min_value=1, max_value=30)
    grounds = forms.CharField(label="正当理由", max_length=300)


class SendCopyForm(StepForm):
    served_on = forms.DateField(
        label="被申请人收到副本日期", required=False, widget=forms.DateInput, help_text="答复期限自被申请人收到副本之日起计算；不填则按发送当日计。"
    )


class ReplyForm(StepForm):
    summary = forms.CharField(label="答复要点及提交的证据", widget=forms.Textarea(attrs=TEXTAREA), max_length=4000, required=False)


class HearForm(StepForm):
    method = forms.ChoiceField(label="听取方式", choices=HearMethod.choices)
    participants = forms.CharField(label="被听取意见的当事人", max_length=300)
    summary = forms.CharField(label="意见要点", widget=forms.Textarea(attrs=TEXTAREA), max_length=4000)


class ScheduleHearingForm(StepForm):
    hearing_date = forms.DateField(label="听证日期", widget=forms.DateInput, help_text="应于举行听证的5个工作日前书面通知当事人（第五十一条）。")
    place = forms.CharField(label="听证地点", max_length=100)
    matters = forms.CharField(label="拟听证事项", widget=forms.Textarea(attrs=TEXTAREA), max_length=2000)


class RecordHearingForm(StepForm):
    held_on = forms.DateField(label="举行日期", widget=forms.DateInput)
    respondent_head_attended = forms.BooleanField(label="被申请人负责人参加听证", required=False)
    participants = forms.CharField(label="主持人、听证员、记录员及参加人", max_length=300)
    summary = forms.CharField(label="听证笔录要点", widget=forms.Textarea(attrs=TEXTAREA), max_length=4000)


_NAME_SPLIT = re.compile(r"[、，,;；\s]+")


class InvestigateForm(StepForm):
    investigators = forms.CharField(label="调查人员", max_length=200, help_text="不少于两人，用顿号分隔（第四十五条）。")
    place = forms.CharField(label="调查地点/对象", max_length=100)
    summary = forms.CharField(label="调查情况", widget=forms.Textarea(attrs=TEXTAREA), max_length=4000)

    def clean_investigators(self):
        names = [n for n in _NAME_SPLIT.split(self.cleaned_data["investigators"].strip()) if n]
        if len(names) < 2:
            raise forms.ValidationError("调查人员：调查取证时行政复议人员不得少于两人。")
        return "、".join(names)


class CommitteeForm(StepForm):
    participants = forms.CharField(label="参加咨询的委员", max_length=300)
    summary = forms.CharField(label="咨询意见", widget=forms.Textarea(attrs=TEXTAREA), max_length=4000)


class MediateForm(StepForm):
    result = forms.ChoiceField(label="本次调解结果", choices=MediationResult.choices)
    summary = forms.CharField(label="调解情况", widget=forms.Textarea(attrs=TEXTAREA), max_length=4000)


class RequestExtensionForm(StepForm):
    days = forms.IntegerField(label="申请延长天数", min_value=1, max_value=30, help_text="最多延长30日（第六十二条）。")
    grounds = forms.CharField(label="情况复杂、不能按期作出决定的理由", max_length=300)


class SuspendForm(StepForm):
    ground = forms.ChoiceField(label="中止情形", choices=SuspensionGround.choices)
    note = forms.CharField(label="具体情况", max_length=300, required=False)


class DecideForm(StepForm):
    kind = forms.ChoiceField(label="决定类型", choices=[(k, Outcome(k).label) for k in DECISION_KINDS])
    order_redo = forms.BooleanField(label="责令被申请人重新作出行政行为（第六十四条）", required=False)
    compensation_awarded = forms.BooleanField(label="同时决定赔偿、返还财产或解除查封扣押冻结（第七十二条）", required=False)
    # The decision's wording (主文) comes from 决定类型: the document writes it in its own
    # paragraph, so this field holds only the facts and reasons (本机关认为).
    summary = forms.CharField(
        label="本机关认为（认定的事实和理由）",
        help_text="写明审理查明的事实和作出决定的理由；决定主文按所选决定类型自动写入决定书，此处不必重复。",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=8000,
    )

    def clean(self):
        d = super().clean()
        if d.get("order_redo") and d.get("kind") not in REVOKING:
            self.add_error("order_redo", "责令重作：只有撤销或部分撤销决定可以同时责令重新作出行政行为。")
        return d


class MediateCloseForm(StepForm):
    agreement = forms.CharField(label="调解协议内容", widget=forms.Textarea(attrs={"rows": 6}), max_length=8000)


class TerminateForm(StepForm):
    termination_reason = forms.ChoiceField(label="终止理由", choices=TerminationReason.choices)
    note = forms.CharField(label="具体情况", max_length=300, required=False)


class OpinionForm(StepForm):
    kind = forms.ChoiceField(label="文书类别", choices=OpinionKind.choices)
    addressee = dictionary_field(RESPONDENT_AGENCY, "制发对象（行政机关）")
    content = forms.CharField(label="发现的问题及意见/建议", widget=forms.Textarea(attrs={"rows": 6}), max_length=8000)
    served_on = forms.DateField(label="送达日期", required=False, widget=forms.DateInput, help_text="反馈期限自收到之日起60日；不填则按制发当日计。")


class FeedbackForm(StepForm):
    feedback = forms.CharField(label="纠正情况", widget=forms.Textarea(attrs=TEXTAREA), max_length=4000)
    rectified = forms.BooleanField(label="已纠正违法或不当行为", required=False)


# --- 附带审查 (§56–§60) ------------------------------------------------------------------------------


class _YesNo(forms.TypedChoiceField):
    """ "1"/"0" from the page's radio buttons, true/false from the API's JSON."""

    def to_python(self, value):
        if value is True or value in ("true", "True"):
            value = "1"
        elif value is False or value in ("false", "False"):
            value = "0"
        return super().to_python(value)


class NormReviewForm(StepForm):
    origin = forms.ChoiceField(label="审查来由", choices=NormReviewOrigin.choices)
    document = forms.CharField(label="规范性文件或依据（名称、文号及条款）", max_length=200)
    drafting_organ = forms.CharField(label="制定机关", max_length=100)
    competent = _YesNo(
        label="处理方式",
        choices=[("1", "本机关有权处理（30日内处理）"), ("0", "本机关无权处理，转送有权机关（7个工作日内转送）")],
        coerce=lambda v: v == "1",
        help_text="第五十六条、第五十七条。",
    )


class NotifyDrafterForm(StepForm):
    served_on = forms.DateField(
        label="制定机关收到通知日期", required=False, widget=forms.DateInput, help_text="答复期限自收到通知之日起10个工作日；不填则按通知当日计。"
    )


class DrafterReplyForm(StepForm):
    summary = forms.CharField(label="答复要点", widget=forms.Textarea(attrs=TEXTAREA), max_length=4000)


class TransferNormForm(StepForm):
    transferee = forms.CharField(label="转送机关（有权处理的机关）", max_length=100)
    served_on = forms.DateField(
        label="转送机关收到日期", required=False, widget=forms.DateInput, help_text="回复期限自收到转送之日起60日；不填则按转送当日计。"
    )


class NormResultForm(StepForm):
    result = forms.ChoiceField(label="审查结果", choices=NormReviewResult.choices)
    note = forms.CharField(label="处理意见", widget=forms.Textarea(attrs=TEXTAREA), max_length=4000)
