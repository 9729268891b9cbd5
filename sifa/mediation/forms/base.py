"""A styled form with a ``setup()`` hook that runs after the fields exist and
before ``StyledFormMixin`` validates a bound form: dynamic choices, querysets
and initials go there, so validation sees them."""

from __future__ import annotations

from django import forms

from sifa.common.forms import StyledFormMixin


class _Setup(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup()

    def setup(self) -> None:
        """Override: adjust fields (choices, querysets, initials)."""


class SetupForm(StyledFormMixin, _Setup):
    pass
