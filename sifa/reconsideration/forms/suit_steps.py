"""Forms of the administrative-suit workflow's steps."""

from __future__ import annotations

from django import forms

from sifa.cases.forms import StepForm

from ..choices import FIRST_INSTANCE_KINDS, AbsenceReason, Instance, JudgmentKind


class DefenceForm(StepForm):
    summary = forms.CharField(label="答辩要点及提交的证据、依据", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, required=False)


class ScheduleForm(StepForm):
    hearing_date = forms.DateField(label="开庭日期", widget=forms.DateInput)
    place = forms.CharField(label="开庭地点", max_length=100)
    head_notified = forms.BooleanField(
        label="法院通知行政机关负责人出庭", required=False, help_text="法院应在开庭3日前送达出庭通知书（最高法2020规定第五条）。"
    )


class HearingForm(StepForm):
    held_on = forms.DateField(label="开庭日期", widget=forms.DateInput)
    head_attended = forms.BooleanField(label="行政机关负责人出庭", required=False)
    head_name = forms.CharField(label="出庭负责人姓名", max_length=50, required=False)
    head_title = forms.CharField(label="负责人职务", max_length=50, required=False, help_text="正职、副职或参与分管被诉行为的负责人（规定第二条）。")
    entrusted_name = forms.CharField(label="委托出庭的工作人员", max_length=50, required=False)
    entrusted_title = forms.CharField(label="委托人员职务", max_length=50, required=False)
    absence_reason = forms.ChoiceField(label="负责人不能出庭的理由", choices=[("", "—")] + list(AbsenceReason.choices), required=False)
    absence_note = forms.CharField(label="理由说明", max_length=300, required=False)
    court_notified_head = forms.BooleanField(label="法院通知负责人出庭", required=False)
    note = forms.CharField(label="庭审情况", max_length=300, required=False)

    def clean(self):
        d = super().clean()
        if d.get("head_attended"):
            if not (d.get("head_name") or "").strip():
                self.add_error("head_name", "出庭负责人姓名：负责人出庭的，请填写其姓名。")
            d["entrusted_name"], d["entrusted_title"], d["absence_reason"], d["absence_note"] = "", "", "", ""
        else:
            if not (d.get("entrusted_name") or "").strip():
                self.add_error("entrusted_name", "委托出庭的工作人员：负责人不能出庭的，应当委托相应的工作人员出庭（行政诉讼法第三条）。")
            if not d.get("absence_reason"):
                self.add_error("absence_reason", "负责人不能出庭的理由：请选择（最高法2020规定第八条）。")
            d["head_name"], d["head_title"] = "", ""
        return d


class JudgmentForm(StepForm):
    kind = forms.ChoiceField(label="裁判结果", choices=JudgmentKind.choices)
    judged_on = forms.DateField(label="裁判日期", widget=forms.DateInput)
    served_on = forms.DateField(label="裁判文书送达日期", widget=forms.DateInput, help_text="上诉期自送达之日起计算。")
    court_case_number = forms.CharField(label="案号", max_length=60, required=False)
    note = forms.CharField(label="裁判要点", max_length=300, required=False)

    def clean(self):
        d = super().clean()
        if d.get("judged_on") and d.get("served_on") and d["served_on"] < d["judged_on"]:
            self.add_error("served_on", "裁判文书送达日期：不能早于裁判日期。")
        suit = getattr(self.case, "suit", None) if self.case is not None else None
        if suit is not None and d.get("kind") and suit.instance == Instance.FIRST and d["kind"] not in FIRST_INSTANCE_KINDS:
            self.add_error("kind", "裁判结果：该结果只适用于二审或再审。")
        return d


APPELLANTS = {"agency": "行政机关", "plaintiff": "原告", "third_party": "第三人"}


class AppealForm(StepForm):
    instance = forms.ChoiceField(label="进入审级", choices=[(Instance.SECOND, Instance.SECOND.label), (Instance.RETRIAL, Instance.RETRIAL.label)])
    appellant = forms.ChoiceField(label="上诉/申请再审方", choices=list(APPELLANTS.items()))
    court = forms.CharField(label="受理法院", max_length=100)
    court_case_number = forms.CharField(label="案号", max_length=60, required=False)
