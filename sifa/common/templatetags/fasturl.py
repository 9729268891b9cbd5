"""Django's ``{% url %}`` tag, with addresses that take only whole numbers built from a kept shape.

A builtin of the template engine (``TEMPLATES`` in config/settings/base.py), loaded after
Django's own, so every ``{% url … %}`` comes here. Django's ``reverse()`` walks the URL
patterns on every call, about 23 µs; a list page links each of its 30 rows to its case,
and a case page has a few dozen links (issue 19). An address whose arguments are all
whole numbers (``{% url 'cases:detail' c.pk %}``) is reversed once per URL name, number of
arguments, application, URL configuration and script prefix, with stand-in numbers; the
text around them is kept, and each later address is that text with the real numbers put
in. The answer is ``reverse()``'s: only whole numbers ≥ 0 go the short way (what the
``int`` converter takes; the project has no converter of its own), a shape whose stand-ins
do not each appear exactly once is not kept, and anything else (keyword arguments, text
arguments, ``as`` with a name that may not reverse) goes through Django's tag as before.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

_STAND_IN = 7_301_946_285_000  # far above any key in use; + the argument's position
_shapes: dict[tuple, tuple[list[str], list[int]] | None] = {}


def _shape(view_name: str, n: int, current_app) -> tuple[list[str], list[int]] | None:
    """The address's text around its ``n`` numbers, and which argument goes in each gap."""
    stand_ins = [str(_STAND_IN + i) for i in range(n)]
    try:
        address = reverse(view_name, args=[int(s) for s in stand_ins], current_app=current_app)
    except NoReverseMatch:
        return None
    if any(address.count(s) != 1 for s in stand_ins):
        return None
    found = sorted((address.index(s), i, len(s)) for i, s in enumerate(stand_ins))
    pieces, order, last = [], [], 0
    for at, i, width in found:
        pieces.append(address[last:at])
        order.append(i)
        last = at + width
    pieces.append(address[last:])
    return pieces, order


def kept_reverse(view_name: str, args: list[int], current_app=None) -> str | None:
    """``reverse(view_name, args=args)`` from the kept shape; None when it has none."""
    key = (view_name, len(args), current_app, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    if key not in _shapes:
        _shapes[key] = _shape(view_name, len(args), current_app)
    shape = _shapes[key]
    if shape is None:
        return None
    pieces, order = shape
    out = [pieces[0]]
    for gap, i in enumerate(order):
        out.append(str(args[i]))
        out.append(pieces[gap + 1])
    return "".join(out)


class KeptURLNode(URLNode):
    def render(self, context):
        if self.kwargs or self.asvar:
            return super().render(context)
        args = [arg.resolve(context) for arg in self.args]
        view_name = self.view_name.resolve(context)
        if not isinstance(view_name, str) or not all(type(a) is int and a >= 0 for a in args):
            return super().render(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        address = kept_reverse(view_name, args, current_app)
        if address is None:
            return super().render(context)
        return conditional_escape(address) if context.autoescape else address


@register.tag
def url(parser, token):
    node = django_url(parser, token)
    return KeptURLNode(node.view_name, node.args, node.kwargs, node.asvar)
