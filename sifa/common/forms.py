"""Form helpers: Bootstrap classes on every widget, and DomainError → form error."""

from __future__ import annotations

from django import forms
from django.utils.choices import CallableChoiceIterator

from .errors import DomainError
from .text import clean_text


class StyledFormMixin:
    """Adds Bootstrap classes, marks invalid fields, and wires live checks."""

    live_checks: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def __getitem__(self, name):
        # Relabelled as each field is rendered, not in __init__: choices set later by a
        # view or a form's setup() (a queryset, a line's code list) get it too.
        bound = super().__getitem__(name)
        _relabel_empty_choice(bound.field)
        return bound

    def full_clean(self):
        # Text is cleaned at validation, not in __init__, so a field a form or view adds
        # or re-widgets later (``setup()``, a Textarea swapped in) is covered too.
        clean_text_inputs(self)
        # Marked after validation, not in __init__: validating there would run before
        # a view sets its choices (filter forms), and the errors would be cached.
        super().full_clean()
        mark_invalid(self)

    def add_domain_error(self, exc: DomainError) -> None:
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, exc.message)
        mark_invalid(self)


def mark_invalid(form: forms.BaseForm) -> None:
    """Bootstrap's ``is-invalid`` on the widget of every field with an error (the red
    border and the message under it): a StyledForm after validation; the portal for a
    line's public form of any base class."""
    for name in form._errors or {}:
        attrs = form.fields[name].widget.attrs if name in form.fields else None
        if attrs is not None and "is-invalid" not in attrs.get("class", "").split():
            attrs["class"] = (attrs.get("class", "") + " is-invalid").strip()


def style_fields(form: forms.BaseForm) -> None:
    """Bootstrap classes, date inputs and the live checks (``form.live_checks``) on
    every widget of ``form``: every StyledForm does this itself, the portal calls it
    for a line's public form of any base class."""
    checks = getattr(form, "live_checks", {}) or {}
    for name, field in form.fields.items():
        w = field.widget
        if isinstance(w, (forms.CheckboxInput,)):
            css = "form-check-input"
        elif isinstance(w, (forms.Select, forms.SelectMultiple)):
            css = "form-select"
        else:
            css = "form-control"
        if css not in w.attrs.get("class", "").split():
            w.attrs["class"] = (w.attrs.get("class", "") + " " + css).strip()
        if isinstance(w, forms.DateInput):
            w.input_type = "date"
            w.format = "%Y-%m-%d"
        if name in checks:
            w.attrs["data-check"] = checks[name]


EMPTY_CHOICE = "请选择"
_DJANGO_DASHES = "---------"


def _relabel_empty_choice(field: forms.Field) -> None:
    """A select's empty option reads "请选择", not Django's "---------" (UI.md: no
    developer text where a user looks)."""
    if isinstance(field, forms.ModelChoiceField):
        if field.empty_label == _DJANGO_DASHES:
            field.empty_label = EMPTY_CHOICE
    elif isinstance(field, forms.ChoiceField) and not isinstance(field.choices, CallableChoiceIterator):
        choices = list(field.choices)
        if any(value == "" and label == _DJANGO_DASHES for value, label in choices):
            field.choices = [(v, EMPTY_CHOICE if v == "" and label == _DJANGO_DASHES else label) for v, label in choices]


def normalized(form: forms.BaseForm, name: str, normalize) -> str:
    """A ``clean_<name>`` body for an identity field (``common.identity``'s
    ``normalize_phone`` / ``normalize_id_number``): "" stays "", anything else in
    its normal form, or the normaliser's Chinese message as the field's error."""
    value = (form.cleaned_data.get(name) or "").strip()
    if not value:
        return ""
    try:
        return normalize(value)
    except DomainError as exc:
        raise forms.ValidationError(exc.message) from None


def clean_text_inputs(form: forms.BaseForm) -> None:
    """Clean every text field of ``form`` as it validates (see ``_clean_text_input``);
    every StyledForm does this itself, the portal calls it for a line's public form
    of any base class. Call before ``is_valid()``."""
    for field in form.fields.values():
        _clean_text_input(field)


def _clean_text_input(field: forms.Field) -> None:
    """Control characters never reach a CharField's validators or the database: a
    stored U+0001 broke every Word document of its case. They are dropped (friendlier
    than refusing a pasted name); a one-line field also turns tab and line breaks
    into a space, a Textarea keeps them. Runs before the field's own to_python, so
    "\\x01" alone is an empty value (and a required field says so). NUL is left for
    Django's own validator, which refuses it naming the field. Passwords are
    left as typed: a secret is compared, never printed, and must not change."""
    if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.PasswordInput) or getattr(field, "_sifa_clean_text", False):
        return
    to_python = field.to_python

    def cleaned(value):
        if isinstance(value, str):
            value = clean_text(value, multiline=isinstance(field.widget, forms.Textarea), keep_nul=True)
        return to_python(value)

    field.to_python = cleaned
    field._sifa_clean_text = True


class StyledForm(StyledFormMixin, forms.Form):
    pass


class ListFilterForm(StyledForm):
    """A list's filter (a line's cases, a register's entries): a period whose end is not
    before its start, and the filter in words for the export's 说明 sheet."""

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "结束日期不能早于开始日期。")
        return data

    def describe(self) -> str:
        parts = []
        if self.is_bound and self.is_valid():
            for name, value in self.cleaned_data.items():
                if value in (None, "", False):
                    continue
                field = self.fields[name]
                shown = "是" if value is True else dict(getattr(field, "choices", None) or []).get(value, value)
                parts.append(f"{field.label}：{shown}")
        return "；".join(str(p) for p in parts) or "全部（本人可见范围）"


def name_fields(form: forms.BaseForm) -> None:
    """Required-field messages that say which field: “请填写被申请人。”"""
    default = forms.Field.default_error_messages["required"]
    for f in form.fields.values():
        if str(f.error_messages.get("required")) != str(default):
            continue  # the field says it its own way
        verb = "选择" if isinstance(f.widget, (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple)) else "填写"
        f.error_messages = {**f.error_messages, "required": f"请{verb}{f.label}。"}


def dictionary_field(code_set: str, label: str, *, required: bool = True, help_text: str = "", top_level: bool = False) -> forms.ChoiceField:
    """A select over an editable code list (choices filled when the form is built,
    by ``fill_dictionaries``)."""
    field = forms.ChoiceField(label=label, required=required, help_text=help_text, choices=())
    field.code_set, field.top_level = code_set, top_level
    return field


def fill_dictionaries(form: forms.BaseForm) -> None:
    from . import dictionaries

    for f in form.fields.values():
        code_set = getattr(f, "code_set", None)
        if code_set:
            f.choices = [("", "请选择")] + dictionaries.choices(code_set, with_children=not f.top_level)


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
    """Base of a line's own forms: Bootstrap styling, required messages that name
    the field, dictionary selects, ``setup()`` for choices and initials that
    depend on the data (it runs once the fields exist), and ``past_dates``: the
    date fields that cannot lie after today."""

    past_dates: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fill_dictionaries(self)
        name_fields(self)
        self.setup()

    def setup(self) -> None:
        """Override: adjust fields (choices, querysets, initials)."""

    def clean(self):
        data = super().clean()
        from django.utils import timezone

        for name in self.past_dates:
            if data.get(name) and data[name] > timezone.localdate():
                self.add_error(name, f"{self.fields[name].label}：不能晚于今天。")
        return data


def first_error(form: forms.BaseForm) -> DomainError:
    """The form's first error as one Chinese sentence naming the field."""
    name, errors = next(iter(form.errors.items()))
    message = str(errors[0])
    field = form.fields.get(name)
    if field is not None and field.label and str(field.label) not in message:
        message = f"{field.label}：{message}"
    return DomainError(message, field=None if name == "__all__" else name)


# --- list filters ------------------------------------------------------------------------------------
# A list page names a bad filter and still applies the good ones; an export of that list
# refuses instead, since it must hold exactly what was asked for.


def applied_filters(form: forms.Form) -> dict:
    """Every field of a filter form: its cleaned value when it passed, None when it did not
    (or when the form is unbound)."""
    if form.is_bound:
        form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    return {name: cleaned.get(name) for name in form.fields}


def filter_errors(form: forms.Form) -> str:
    """The filter's problems in one sentence naming each field ("" when there are none)."""
    if not form.is_bound or not form.errors:
        return ""
    return "；".join(f"{form.fields[name].label if name in form.fields else '筛选条件'}：{'、'.join(errs)}" for name, errs in form.errors.items())
