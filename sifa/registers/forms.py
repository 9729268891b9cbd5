"""The registration form of a register, built from its declaration: the
kernel's fields (date, org, the person, content, result) then the line's own
fields of the entry model, checked the same way on the page and the API."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from sifa.common.forms import StyledFormMixin, fill_dictionaries, name_fields, normalized
from sifa.common.identity import normalize_id_number, normalize_phone

from .selectors import model_of
from .services import KERNEL_FIELDS


class EntryForm(StyledFormMixin, forms.ModelForm):
    """``EntryForm.for_register(reg)`` gives the register's form class."""

    live_checks = {"person_id_number": "id", "person_phone": "phone"}
    reg = None

    def __init__(self, *args, orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.orgs = list(orgs)
        org = self.fields["owner_org"]
        org.queryset = org.queryset.filter(pk__in=[o.pk for o in self.orgs]).order_by("path")
        org.empty_label = None if len(self.orgs) == 1 else "请选择"
        self.fields["on"].initial = timezone.localdate()
        self.fields["person_name"].label = f"{self.reg.person_label}姓名"
        self.fields["summary"].label = self.reg.summary_label
        self.fields["result"].label = self.reg.result_label
        fill_dictionaries(self)
        name_fields(self)

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError("登记日期不能晚于今天。")
        return on

    def clean_person_phone(self):
        return normalized(self, "person_phone", normalize_phone)

    def clean_person_id_number(self):
        return normalized(self, "person_id_number", normalize_id_number)

    @classmethod
    def for_register(cls, reg) -> type[EntryForm]:
        widgets = {
            "on": forms.DateInput(),
            "person_phone": forms.TextInput(),
            "person_id_number": forms.TextInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "result": forms.Textarea(attrs={"rows": 3}),
        }
        meta = type("Meta", (), {"model": model_of(reg), "fields": [*KERNEL_FIELDS, *reg.fields], "widgets": widgets})
        return type(f"{model_of(reg).__name__}Form", (cls,), {"Meta": meta, "reg": reg})

    def values(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.Meta.fields}
