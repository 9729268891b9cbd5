"""The line's forms: 预释放登记, each step's input and the list filters. Every
message names its field. A step's own date (办理日期) is the engine's: the forms
never ask for it again (the hand-over's date is the step's date, so is a visit's)."""

from __future__ import annotations

from django import forms

from sifa.cases.forms import RegistrationForm, StepForm
from sifa.cases.lines import CaseFilter
from sifa.common import identity
from sifa.common.errors import DomainError

from . import conf
from .choices import CASE_TYPE, AssistanceKind, ContactKind, EndKind, HandoverWay, Origin, Placement, Verification

TEXT = {"rows": 3}


def _blank(choices, label="请选择"):
    return [("", label), *choices]


def _offices(case):
    """The offices a case may be shared with or a request sent to: the platform's other
    offices (the kernel's transfer targets: the case's whole organisation tree)."""
    from sifa.cases.movement import transfer_targets

    return list(transfer_targets(None, case)) if case is not None else []


# --- 预释放登记 ----------------------------------------------------------------------------------------


class ReleaseeForm(RegistrationForm):
    """预释放登记: from the prison's (看守所's) notice, about a month before release."""

    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号码", max_length=18, required=False, help_text="决定性别和年龄；加密保存，页面上脱敏显示")
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    household = forms.CharField(label="户籍地址", max_length=300, required=False)
    origin = forms.ChoiceField(label="来源", choices=[(v, label) for v, label in Origin.choices if v in Origin.custodial()])
    institution = forms.CharField(label="释放单位（监狱/看守所）", max_length=100)
    notice_on = forms.DateField(label="收到释放通知日期", widget=forms.DateInput)
    expected_release_on = forms.DateField(label="预计释放日期", widget=forms.DateInput)
    released_on = forms.DateField(label="实际释放日期", required=False, widget=forms.DateInput, help_text="已释放的填写")
    crime = forms.CharField(label="罪名", max_length=200)
    sentence = forms.CharField(label="原判刑罚及刑期", max_length=500, required=False)
    sentence_start = forms.DateField(label="刑期起日", required=False, widget=forms.DateInput)
    sentence_end = forms.DateField(label="刑期止日", required=False, widget=forms.DateInput)
    key_person = forms.BooleanField(label="重点帮教对象（必接必送）", required=False)
    past_dates = ("notice_on", "released_on")
    field_order = ("owner_org", "name", "id_number", "phone", "household", "origin", "institution", "notice_on", "expected_release_on", "released_on")

    def clean_id_number(self):
        value = (self.cleaned_data.get("id_number") or "").strip()
        try:
            return identity.normalize_id_number(value) if value else ""
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean_phone(self):
        value = (self.cleaned_data.get("phone") or "").strip()
        try:
            return identity.normalize_phone(value) if value else ""
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean(self):
        d = super().clean()
        start, end = d.get("sentence_start"), d.get("sentence_end")
        if start and end and end < start:
            self.add_error("sentence_end", "刑期止日不能早于刑期起日。")
        notice, expected = d.get("notice_on"), d.get("expected_release_on")
        if notice and expected and expected < notice:
            self.add_error("expected_release_on", "预计释放日期不能早于收到通知日期。")
        return d

    def parties(self) -> list[dict]:
        return []  # the service builds the person from the fields


# --- steps ---------------------------------------------------------------------------------------------


class VerifyForm(StepForm):
    """摸排核实: where the person really lives."""

    result = forms.ChoiceField(label="摸排结果", choices=Verification.choices)
    residence = forms.CharField(label="实际居住地", max_length=300, required=False)
    residence_org = forms.ChoiceField(label="居住地司法所（人户分离的）", required=False, help_text="双列管：该所可查看并参与帮教，本所仍为承办所")
    note = forms.CharField(label="摸排情况", max_length=1000, required=False, widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.offices = _offices(self.case)
        self.fields["residence_org"].choices = _blank([(str(o.pk), o.name) for o in self.offices])

    def clean(self):
        d = super().clean()
        result = d.get("result")
        if result in (Verification.LOCAL, Verification.ELSEWHERE) and not (d.get("residence") or "").strip():
            self.add_error("residence", "请填写实际居住地。")
        if result == Verification.ELSEWHERE:
            org = next((o for o in self.offices if str(o.pk) == d.get("residence_org")), None)
            if org is None:
                self.add_error("residence_org", "人户分离的，请选择居住地司法所。")
            d["residence_org"] = org
        else:
            d["residence_org"] = None
        return d


class HandoverForm(StepForm):
    """衔接登记: the step's date is the day of the hand-over (报到/接回)."""

    released_on = forms.DateField(label="实际释放日期", widget=forms.DateInput)
    way = forms.ChoiceField(label="衔接方式", choices=[(v, label) for v, label in HandoverWay.choices if v != HandoverWay.TRANSFERRED])
    note = forms.CharField(label="衔接情况", max_length=1000, required=False, widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rec = self.record
        if rec is not None:
            self.fields["released_on"].initial = rec.released_on or rec.expected_release_on

    def clean(self):
        d = super().clean()
        self.not_future("released_on")
        return d


class UnlinkForm(StepForm):
    released_on = forms.DateField(label="实际释放日期", required=False, widget=forms.DateInput, help_text="已核实释放的填写")
    circumstances = forms.CharField(
        label="未衔接情况", max_length=1000, widget=forms.Textarea(attrs=TEXT), help_text="未按期报到、查无此人等情况及已采取的查找措施"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rec = self.record
        if rec is not None:
            self.fields["released_on"].initial = rec.released_on

    def clean(self):
        d = super().clean()
        self.not_future("released_on")
        return d


class SearchForm(StepForm):
    """协查: another office of the platform, or a unit outside it by name."""

    org = forms.ChoiceField(label="协查司法所", required=False)
    org_name = forms.CharField(label="其他协查单位", max_length=100, required=False, help_text="平台外的单位（外省司法所、公安派出所等）填写名称")
    request = forms.CharField(label="协查事项", max_length=1000, widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.offices = _offices(self.case)
        self.fields["org"].choices = _blank([(str(o.pk), o.name) for o in self.offices], "（平台外单位）")

    def clean(self):
        d = super().clean()
        org = next((o for o in self.offices if str(o.pk) == d.get("org")), None)
        d["org"] = org
        if org is None and not (d.get("org_name") or "").strip():
            self.add_error("org", "协查单位：请选择司法所，或填写其他协查单位的名称。")
        return d


class AnswerForm(StepForm):
    search = forms.ChoiceField(label="协查记录")
    answer = forms.CharField(label="回复情况", max_length=1000, widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import SearchRequest

        rows = SearchRequest.objects.filter(case=self.case, answered_on__isnull=True) if self.case is not None else []
        self.fields["search"].choices = [(str(r.pk), f"{r.asked_on:%Y-%m-%d} {r.org_name}") for r in rows]


class GradeForm(StepForm):
    grade = forms.ChoiceField(label="风险等级")
    factors = forms.MultipleChoiceField(label="风险因素", required=False, widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label="评估意见", max_length=1000, widget=forms.Textarea(attrs=TEXT))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = _blank(conf.grade_choices())
        self.fields["factors"].choices = list(conf.factors().items())


class GroupForm(StepForm):
    members = forms.CharField(
        label="帮教小组成员",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每行一人：姓名，身份，电话（电话可不填）。身份如司法所工作人员、村（居）干部、民警、家属、志愿者",
    )
    agreement_on = forms.DateField(label="帮教协议签订日期", required=False, widget=forms.DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rec = self.record
        if rec is not None and self.case is not None:
            rows = self.case.resettlement_helpers.all()
            self.fields["members"].initial = "\n".join("，".join(x for x in (h.name, h.role, h.phone) if x) for h in rows)
            self.fields["agreement_on"].initial = rec.agreement_on

    def clean_members(self):
        out, errors = [], []
        for n, line in enumerate((self.cleaned_data["members"] or "").splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace(",", "，").split("，")]
            if len(parts) < 2 or not parts[0] or not parts[1]:
                errors.append(f"第{n}行：请至少填写姓名和身份。")
                continue
            phone = parts[2] if len(parts) > 2 else ""
            if phone:
                try:
                    phone = identity.normalize_phone(phone)
                except DomainError as exc:
                    errors.append(f"第{n}行：{exc.message}")
            out.append({"name": parts[0][:50], "role": parts[1][:50], "phone": phone})
        if errors:
            raise forms.ValidationError("帮教小组成员：" + "；".join(errors))
        if not out:
            raise forms.ValidationError("帮教小组成员：请至少填写一人。")
        return out

    def clean(self):
        d = super().clean()
        self.not_future("agreement_on")
        return d


class ContactForm(StepForm):
    kind = forms.ChoiceField(label="方式", choices=ContactKind.choices)
    note = forms.CharField(label="情况", max_length=1000, widget=forms.Textarea(attrs=TEXT))


class AssistForm(StepForm):
    kind = forms.ChoiceField(label="帮扶类别", choices=_blank(AssistanceKind.choices))
    note = forms.CharField(label="帮扶内容", max_length=1000, widget=forms.Textarea(attrs=TEXT))


class PlaceForm(StepForm):
    placement = forms.ChoiceField(label="安置情况", choices=_blank(Placement.choices))
    note = forms.CharField(label="说明", max_length=1000, required=False)


class EndForm(StepForm):
    kind = forms.ChoiceField(label="终止原因", choices=_blank([(v, label) for v, label in EndKind.choices if v != EndKind.EXPIRED]))
    moved_to = forms.CharField(label="接收单位（迁出的）", max_length=100, required=False, help_text="迁往平台内其他司法所的，请用“移送”办理，档案随案移交")
    note = forms.CharField(label="情况说明", max_length=1000, widget=forms.Textarea(attrs=TEXT))

    def clean(self):
        d = super().clean()
        if d.get("kind") == EndKind.MOVED and not (d.get("moved_to") or "").strip():
            self.add_error("moved_to", "迁出的，请填写接收单位。")
        return d


# --- list filters --------------------------------------------------------------------------------------


class ReleaseeFilter(CaseFilter):
    case_type = CASE_TYPE
    origin = forms.ChoiceField(label="来源", choices=_blank(Origin.choices, "全部来源"), required=False)
    grade = forms.ChoiceField(label="风险等级", required=False)
    key_person = forms.BooleanField(label="只看重点帮教对象", required=False)
    org = forms.ChoiceField(label="司法所", required=False)
    lookups = {"origin": "releasee__origin", "grade": "releasee__grade", "key_person": "releasee__key_person"}

    def setup(self) -> None:
        from sifa.cases.selectors import scope_root
        from sifa.orgs.models import Org

        self.fields["grade"].choices = _blank(conf.grade_choices(), "全部等级")
        root = scope_root(self.user) if self.user is not None else None
        offices = Org.objects.filter(path__startswith=root.path, kind="office", is_active=True).order_by("path") if root is not None else []
        self.fields["org"].choices = _blank([(str(o.pk), o.name) for o in offices], "全部司法所")

    def filter_org(self, qs, value):
        from sifa.orgs.models import Org

        org = Org.objects.filter(pk=value).first()
        return qs.filter(org_path__startswith=org.path) if org is not None else qs.none()


class UnlinkedFilter(forms.Form):
    """The 未衔接 list's search: a name, code or initials."""

    q = forms.CharField(label="关键词", required=False, widget=forms.TextInput(attrs={"placeholder": "编码 / 姓名 / 拼音首字母"}))
