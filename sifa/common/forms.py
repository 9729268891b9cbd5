"""Form helpers: Bootstrap classes on every widget, and DomainError → form error."""

from __future__ import annotations

from django import forms

from .errors import DomainError


class StyledFormMixin:
    """Adds Bootstrap classes, marks invalid fields, and wires live checks."""

    live_checks: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            w = field.widget
            if isinstance(w, (forms.CheckboxInput,)):
                css = "form-check-input"
            elif isinstance(w, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            w.attrs["class"] = (w.attrs.get("class", "") + " " + css).strip()
            if isinstance(w, forms.DateInput):
                w.input_type = "date"
                w.format = "%Y-%m-%d"
            if name in self.live_checks:
                w.attrs["data-check"] = self.live_checks[name]

    def full_clean(self):
        # Marked after validation, not in __init__: validating there would run before
        # a view sets its choices (filter forms), and the errors would be cached.
        super().full_clean()
        for name in self._errors or {}:
            if name in self.fields and "is-invalid" not in self.fields[name].widget.attrs.get("class", ""):
                self.fields[name].widget.attrs["class"] = (self.fields[name].widget.attrs.get("class", "") + " is-invalid").strip()

    def add_domain_error(self, exc: DomainError) -> None:
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, exc.message)
        if field:
            self.fields[field].widget.attrs["class"] += " is-invalid"


class StyledForm(StyledFormMixin, forms.Form):
    pass


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
