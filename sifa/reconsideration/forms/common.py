"""Form plumbing shared by the line's forms: required-field messages that name
the field, dictionary selects, several files in one input, and the one
validation path that both the pages and the API go through."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile

from sifa.common import dictionaries
from sifa.common.errors import DomainError
from sifa.common.forms import StyledForm


def name_fields(form: forms.BaseForm) -> None:
    """Required-field messages that say which field: “请填写被申请人。”"""
    for f in form.fields.values():
        verb = "选择" if isinstance(f.widget, (forms.Select, forms.RadioSelect)) else "填写"
        f.error_messages = {**f.error_messages, "required": f"请{verb}{f.label}。"}


def dictionary_field(code_set: str, label: str, *, required: bool = True, help_text: str = "") -> forms.ChoiceField:
    """A select over an editable code list (choices filled in the form's __init__)."""
    field = forms.ChoiceField(label=label, required=required, help_text=help_text, choices=())
    field.code_set = code_set
    return field


def fill_dictionaries(form: forms.BaseForm) -> None:
    for f in form.fields.values():
        code_set = getattr(f, "code_set", None)
        if code_set:
            f.choices = [("", "请选择")] + dictionaries.choices(code_set)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (possibly empty)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(d, initial) for d in items if d]


class LineForm(StyledForm):
    """Base of the line's forms: Bootstrap styling, named required messages,
    dictionary selects."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fill_dictionaries(self)
        name_fields(self)


class StepForm(LineForm):
    """The form of one workflow step: built as ``Form(data, files, case=case)``."""

    def __init__(self, data=None, files=None, *, case=None, **kwargs):
        self.case = case
        super().__init__(data, files, **kwargs)


def first_error(form: forms.BaseForm) -> DomainError:
    """The form's first error as a DomainError naming the field."""
    name, errors = next(iter(form.errors.items()))
    message = str(errors[0])
    field = form.fields.get(name)
    if field is not None and field.label and str(field.label) not in message:
        message = f"{field.label}：{message}"
    return DomainError(message, field=None if name == "__all__" else name)


def _is_file(value) -> bool:
    if isinstance(value, (list, tuple)):
        return bool(value) and all(isinstance(v, UploadedFile) for v in value)
    return isinstance(value, UploadedFile)


def validated(form_class, case, data: dict) -> dict:
    """``data`` checked by the step's form. The page hands over the form's
    cleaned data, the API the raw JSON body; both pass the same form here, so a
    bad value is refused the same way (in Chinese, naming the field) and nothing
    is written."""
    if form_class is None:
        return dict(data)
    files = {k: v for k, v in data.items() if _is_file(v)}
    values = {k: v for k, v in data.items() if k not in files and v is not None}
    form = form_class(data=values, files=files, case=case)
    if not form.is_valid():
        raise first_error(form)
    return {**form.cleaned_data, "on": data.get("on")}
