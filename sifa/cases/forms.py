from django import forms
from django.utils import timezone

from sifa.common.forms import LineForm, StyledForm, StyledFormMixin

from .choices import Gender, IdType, PartyKind, PartyRole


class CaseFilterForm(StyledForm):
    q = forms.CharField(label="关键词", required=False, widget=forms.TextInput(attrs={"placeholder": "编码 / 当事人 / 拼音首字母 / 身份证号"}))
    case_type = forms.ChoiceField(label="业务", required=False)
    status = forms.CharField(label="状态", required=False, widget=forms.Select)
    org = forms.ChoiceField(label="机构", required=False)
    date_from = forms.DateField(label="收案自", required=False, widget=forms.DateInput)
    date_to = forms.DateField(label="收案至", required=False, widget=forms.DateInput)
    due = forms.ChoiceField(label="期限", required=False, choices=[("", "全部"), ("overdue", "超期"), ("due_soon", "临期"), ("open", "在办")])

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "结束日期不能早于开始日期。")
        return data


class StepForm(LineForm):
    """The form of one workflow step (``kit.workflow.Step.form``), built by the
    engine as ``Form(data, files, case=case, record=rec)``: the page and the API
    go through the same validation. Its cleaned data, with the step's date
    ``on``, is what the step's check and write receive."""

    opened_label = "收案日期"
    # The page asks once (issue 18): a form with its own date of the step (回访日期) names it
    # here and the page's 办理日期 is taken from it; one with its own notes (回访情况) names
    # that, and the page's 说明 is not asked (unless the step requires a reason).
    date_field: str = ""
    notes_field: str = ""

    def __init__(self, data=None, files=None, *, case=None, record=None, **kwargs):
        self.case, self.record = case, record
        super().__init__(data, files, **kwargs)

    def not_future(self, *names: str) -> None:
        for name in names:
            d = self.cleaned_data.get(name)
            if d and d > timezone.localdate():
                self.add_error(name, "日期不能晚于今天。")

    def not_before_opened(self, *names: str) -> None:
        for name in names:
            d = self.cleaned_data.get(name)
            if d and self.case is not None and d < self.case.opened_on:
                self.add_error(name, f"日期不能早于{self.opened_label}。")


class RegistrationForm(LineForm):
    """Base of a line's registration form whose cases belong to an org the user
    picks: ``owner_org`` among the orgs they may register under
    (``lines.register_page(choose_org=True)`` passes them as ``orgs``)."""

    owner_org = forms.ChoiceField(label="承办机构")

    def __init__(self, *args, orgs=(), **kwargs):
        self.orgs, self.duplicates = list(orgs), []
        super().__init__(*args, **kwargs)
        self.fields["owner_org"].choices = [(str(o.pk), o.name) for o in self.orgs]
        if len(self.orgs) == 1:
            self.fields["owner_org"].initial = str(self.orgs[0].pk)


class TransitionForm(StyledForm):
    on = forms.DateField(label="办理日期", widget=forms.DateInput)
    reason = forms.CharField(label="理由/说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class PartyForm(StyledForm):
    live_checks = {"id_number": "id", "phone": "phone"}
    role = forms.ChoiceField(label="身份", choices=PartyRole.choices)
    kind = forms.ChoiceField(label="类型", choices=PartyKind.choices)
    name = forms.CharField(label="姓名/名称", max_length=100)
    id_type = forms.ChoiceField(label="证件类型", choices=[("", "—")] + list(IdType.choices), required=False)
    id_number = forms.CharField(label="证件号码", max_length=40, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    address = forms.CharField(label="住址/地址", max_length=300, required=False)
    gender = forms.ChoiceField(label="性别", choices=[("", "—")] + list(Gender.choices), required=False)
    legal_rep = forms.CharField(label="法定代表人/负责人", max_length=50, required=False)

    SENSITIVE = ("id_number", "phone", "address")

    def __init__(self, *args, roles: dict | None = None, stored_masks: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if roles:
            self.fields["role"].choices = list(roles.items())
        # Editing: the stored ID number, phone and address never go into the page
        # (SECURITY.md masking). The masked value is shown; blank keeps it.
        self.stored_masks = {k: v for k, v in (stored_masks or {}).items() if k in self.SENSITIVE and v}
        for key, shown in self.stored_masks.items():
            field = self.fields[key]
            field.widget.attrs["placeholder"] = f"已登记：{shown}（留空不修改）"
            self.fields[f"clear_{key}"] = forms.BooleanField(
                label=f"清除已登记的{field.label}", required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
            )
        # Defaults count as "unchanged", so an untouched formset row is skipped.
        self.fields["role"].initial = self.fields["role"].choices[0][0]
        self.fields["kind"].initial = PartyKind.NATURAL
        # In a formset, an untouched row (only the default role/kind) counts as empty.
        self.fields["name"].required = not self.empty_permitted

    def party_data(self) -> dict:
        """Cleaned fields for the party services: a blank sensitive field keeps the
        stored value unless its “clear” box is ticked."""
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("clear_") and k != "DELETE"}
        for key in self.stored_masks:
            if self.cleaned_data.get(f"clear_{key}"):
                data[key] = ""
            elif not data.get(key):
                data.pop(key, None)
        return data


class CaseEditForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label="案由/标题", max_length=200)
    summary = forms.CharField(label="简要情况", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class DeleteForm(StyledForm):
    reason = forms.CharField(label="删除原因", max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput)


class _BasePartyFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        filled = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("name")]
        if len(filled) < self.min_parties:
            raise forms.ValidationError(f"请至少填写{self.min_parties}位当事人。")


def party_formset(data=None, *, roles: dict | None = None, prefix: str = "party", extra: int = 2, min_parties: int = 1, initial=None):
    """Several parties on each side in one registration form. Empty rows are
    ignored; the page's “添加当事人” button clones the empty row (app.js)."""
    FormSet = forms.formset_factory(PartyForm, formset=_BasePartyFormSet, extra=extra, can_delete=False)
    fs = FormSet(data, prefix=prefix, form_kwargs={"roles": roles, "empty_permitted": True, "use_required_attribute": False}, initial=initial)
    fs.min_parties = min_parties
    return fs


def parties_from(formset) -> list[dict]:
    """The filled rows of a valid party formset, ready for services.create_case."""
    return [{k: v for k, v in f.cleaned_data.items() if k != "DELETE"} for f in formset.forms if f.cleaned_data and f.cleaned_data.get("name")]


# --- moving a case: transfer, share, hand-over (cases.movement) --------------------------------------


class _OrgChoice(LineForm):
    def __init__(self, *args, orgs=(), **kwargs):
        self.orgs = list(orgs)
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [("", "请选择")] + [(str(o.pk), o.name) for o in self.orgs]

    def clean_org(self):
        return next((o for o in self.orgs if str(o.pk) == self.cleaned_data["org"]), None)


class TransferForm(_OrgChoice):
    org = forms.ChoiceField(label="移送至", help_text="接收机构在“待分配案件”中认领后办理；编码、办理进展、期限和文书随案移送。")
    reason = forms.CharField(label="移送理由", max_length=200, widget=forms.Textarea(attrs={"rows": 2}))
    keep_sight = forms.BooleanField(label="本机构保留查看", required=False, initial=True)


class ShareForm(_OrgChoice):
    org = forms.ChoiceField(label="共享给")
    can_write = forms.BooleanField(label="对方可办理（否则只读）", required=False)
    reason = forms.CharField(label="共享理由", max_length=200, help_text="如：居住地司法所与户籍地司法所共同掌握情况")


class HandOverForm(LineForm):
    owner_org = forms.ChoiceField(label="接收机构")

    def __init__(self, *args, orgs=(), **kwargs):
        self.orgs = list(orgs)
        super().__init__(*args, **kwargs)
        self.fields["owner_org"].choices = [(str(o.pk), o.name) for o in self.orgs]
        if len(self.orgs) == 1:
            self.fields["owner_org"].initial = str(self.orgs[0].pk)

    def clean_owner_org(self):
        return next((o for o in self.orgs if str(o.pk) == self.cleaned_data["owner_org"]), None)
