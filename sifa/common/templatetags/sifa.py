from django import template
from django.utils.html import format_html

from sifa.common import identity, text
from sifa.common.lights import LIGHTS

register = template.Library()


@register.filter
def mask_id(value):
    return identity.mask_id_number(value or "")


@register.filter
def mask_phone(value):
    return identity.mask_phone(value or "")


@register.filter
def cn_date(value):
    return text.cn_date(value)


@register.filter
def money(value):
    return text.money(value) if value not in (None, "") else ""


@register.filter
def cn_number(value):
    return text.cn_number(int(value)) if value not in (None, "") else ""


@register.filter
def cn_amount(value):
    return text.cn_amount(value) if value not in (None, "") else ""


@register.filter
def lines(value):
    """Text as its non-blank lines (a paragraph each in a document). A typed line
    that starts with "@" gets a zero-width space in front, so a document
    template never reads the user's words as a layout command (common.docgen)."""
    return [("\u200b" if line.startswith("@") else "") + line for line in (raw.strip() for raw in str(value or "").splitlines()) if line]


@register.simple_tag
def light(kind, label=""):
    """A deadline light: green 正常, amber 临期, red 超期, grey 已完成 (UI.md)."""
    if not kind:
        return ""
    name, _ = LIGHTS.get(kind, ("", ""))
    return format_html('<span class="badge sf-due-{}">{}</span>', kind, label or name)


@register.simple_tag
def status_badge(case):
    # One status per case everywhere: the stage in law (a recorded state, or 视为受理 …).
    stage = case.stage
    return format_html('<span class="badge text-bg-{}" data-testid="case-status">{}</span>', stage.tone, stage.label)


@register.simple_tag(takes_context=True)
def qs_without(context, *keys):
    """The current query string minus ``keys`` (for pagination and sorting links)."""
    params = context["request"].GET.copy()
    for k in keys:
        params.pop(k, None)
    encoded = params.urlencode()
    return encoded + "&" if encoded else ""


@register.filter
def get_item(mapping, key):
    try:
        return mapping.get(key)
    except AttributeError:
        return None
