"""The form renderer: Django's, with <select> written in Python.

Why: Django renders every <option> through its own template include. A case
list's status select offers every state of every line (100+ options), and a city
leader's organisation select every office below them (hundreds): profiled, the
options were 40% of a list page's time (about 25 ms of 60, issue 19). The markup
produced here is the same as Django's select.html / select_option.html / attrs.html,
from the same widget context, so a widget that customises its options
(``create_option``: disabled roles, a session's data-fill attributes) still
works. A widget with its own templates is rendered by the templates as before.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def attrs_html(attrs: dict) -> str:
    """attrs.html: False is left out, True is the bare name, anything else its text."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"')
    return "".join(out)


def select_html(widget: dict) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{attrs_html(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for o in options:  # select_option.html ends with a newline, kept
            parts.append(f'\n  <option value="{conditional_escape(str(o["value"]))}"{attrs_html(o["attrs"])}>{conditional_escape(o["label"])}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    """settings.FORM_RENDERER."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == SELECT else None
        if widget is not None and all(o["template_name"] == OPTION for _g, opts, _i in widget["optgroups"] for o in opts):
            return mark_safe(select_html(widget))  # noqa: S308 (every name, value and label above is escaped)
        return super().render(template_name, context, request)
