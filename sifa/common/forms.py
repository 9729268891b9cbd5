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
        if self.is_bound:
            for name in self.errors:
                if name in self.fields:
                    self.fields[name].widget.attrs["class"] += " is-invalid"

    def add_domain_error(self, exc: DomainError) -> None:
        field = exc.field if exc.field in self.fields else None
        self.add_error(field, exc.message)
        if field:
            self.fields[field].widget.attrs["class"] += " is-invalid"


class StyledForm(StyledFormMixin, forms.Form):
    pass
