"""Forms of the organisation tree pages, and the org select other apps reuse."""

from __future__ import annotations

from django import forms

from sifa.common import identity
from sifa.common.errors import DomainError
from sifa.common.forms import StyledFormMixin

from .choices import kind_choices
from .models import Org


class OrgChoiceField(forms.ModelChoiceField):
    """An org select showing the tree by indentation."""

    def label_from_instance(self, obj):
        suffix = "" if obj.is_active else "（已停用）"
        return f"{'　' * obj.depth}{obj.name}{suffix}"


def org_field(*, label: str = "所属机构", required: bool = True, active_only: bool = True, empty_label: str = "请选择") -> OrgChoiceField:
    qs = Org.objects.order_by("path")
    if active_only:
        qs = qs.filter(is_active=True)
    return OrgChoiceField(queryset=qs, label=label, required=required, empty_label=empty_label)


class _OrgFields(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=20, help_text="用于文号，如“演司”。")
    kind = forms.ChoiceField(label="类型", choices=kind_choices)
    parent = OrgChoiceField(queryset=Org.objects.order_by("path"), label="上级机构", required=False, empty_label="（无，顶层机构）")
    region_code = forms.CharField(label="行政区划代码", max_length=6, help_text="6位数字，如 350102。")
    address = forms.CharField(label="地址", max_length=200, required=False)
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    sort_order = forms.IntegerField(label="排序", min_value=0, initial=0, help_text="同一上级下从小到大排列。")
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    error_messages_zh = {"region_code": "行政区划代码应为6位数字。"}

    def __init__(self, *args, editing: Org | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if editing is not None:
            # A node cannot move under itself or its own subtree.
            self.fields["parent"].queryset = Org.objects.exclude(path__startswith=editing.path).order_by("path")

    def clean_region_code(self):
        value = self.cleaned_data["region_code"].strip()
        if not (len(value) == 6 and value.isdigit()):
            raise forms.ValidationError(self.error_messages_zh["region_code"])
        return value

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        try:
            return identity.normalize_phone(value)
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_short_name(self):
        return self.cleaned_data["short_name"].strip()


class OrgForm(StyledFormMixin, _OrgFields):
    """The parent queryset is narrowed in _OrgFields, before the mixin styles
    the fields (and before anything validates the form)."""


def initial_for(org: Org) -> dict:
    return {f: getattr(org, f) for f in ("name", "short_name", "kind", "parent", "region_code", "address", "phone", "sort_order", "is_active")}
