"""The Python <select> (common/renderers.py) writes what Django's templates write."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from sifa.accounts.forms import _RoleSelect
from sifa.common.renderers import FormRenderer

CHOICES = [("", "全部"), ("a", "甲 & <乙>"), (1, '带"引号"'), ("组", [("x", "组内一"), ("y", "组内二")])]


class Marked(forms.Select):
    """A widget that customises its options, as the role and session selects do."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        option["attrs"].update({"disabled": value == "a", "data-fill-on": "2026-12-07", "data-none": None})
        return option


class Own(forms.Select):
    option_template_name = "django/forms/widgets/radio_option.html"


CASES = [
    (forms.Select(choices=CHOICES, attrs={"class": "form-select is-invalid", "aria-invalid": True, "required": False}), "a"),
    (forms.Select(choices=CHOICES), None),
    (forms.Select(choices=CHOICES), 1),
    (forms.SelectMultiple(choices=CHOICES, attrs={"id": "id_m"}), ["a", "y"]),
    (forms.NullBooleanSelect(), True),
    (Marked(choices=CHOICES), "x"),
    (_RoleSelect(choices=[("office", "司法所"), ("sysadmin", "系统管理员")]), "office"),
    (Own(choices=CHOICES), "a"),
]


@pytest.mark.parametrize(("widget", "value"), CASES)
def test_same_markup_as_djangos_templates(widget, value):
    if isinstance(widget, _RoleSelect):
        widget.disabled_values = frozenset({"sysadmin"})
    ours = widget.render("f", value, renderer=FormRenderer())
    django = widget.render("f", value, renderer=DjangoTemplates())
    assert ours == django


def test_text_is_escaped():
    html = forms.Select(choices=[("<v>", "<b>x</b>")]).render('n"', "<v>", renderer=FormRenderer())
    assert "<b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html and 'value="&lt;v&gt;" selected' in html


def test_settings_use_it():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FormRenderer)
