"""The engine's ``{% url %}`` tag (common.templatetags.fasturl) gives reverse()'s answer."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, get_resolver, reverse

from sifa.common.templatetags import fasturl


def _names_with_args() -> list[tuple[str, int]]:
    """Every named URL of the project with its number of positional arguments."""
    out = set()
    resolver = get_resolver()
    for name, entries in resolver.reverse_dict.lists():
        if isinstance(name, str):
            for possibility, _pattern, _defaults, _converters in entries:
                for _text, params in possibility:
                    out.add((name, len(params)))
    for namespace, (_prefix, sub) in resolver.namespace_dict.items():
        for name, entries in sub.reverse_dict.lists():
            if isinstance(name, str):
                for possibility, *_rest in entries:
                    for _text, params in possibility:
                        out.add((f"{namespace}:{name}", len(params)))
    return sorted(out)


@pytest.mark.parametrize("args", [(0,), (7,), (123456,)])
def test_every_address_of_whole_numbers_is_reverses_own(args):
    """For every named address of the project (one, two or three numbers), the tag's answer
    is reverse()'s, or both refuse."""
    checked = 0
    for name, n in _names_with_args():
        values = [args[0] + i for i in range(n)]
        try:
            want = reverse(name, args=values)
        except NoReverseMatch:
            want = None
        got = fasturl.kept_reverse(name, values)
        if want is not None:
            assert got == want, name
            checked += 1
        elif got is not None:
            with pytest.raises(NoReverseMatch):
                reverse(name, args=values)  # the shape was kept for a text argument: the tag is not asked
    assert checked > 50


def test_the_tag_answers_as_djangos_and_falls_back(db):
    render = lambda text, **ctx: Template(text).render(Context(ctx))  # noqa: E731
    assert render("{% url 'cases:detail' pk %}", pk=42) == reverse("cases:detail", args=[42])
    assert render("{% url 'cases:detail' pk=pk %}", pk=42) == reverse("cases:detail", kwargs={"pk": 42})
    assert render("{% url 'cases:detail' pk %}", pk="42") == reverse("cases:detail", args=["42"])
    assert render("{% url 'cases:detail' pk as u %}[{{ u }}]", pk=5) == f"[{reverse('cases:detail', args=[5])}]"
    assert render("{% url 'cases:list' %}") == reverse("cases:list")
    assert render("{% url 'cases:qr' pk 'png' %}", pk=3) == reverse("cases:qr", args=[3, "png"])
    with pytest.raises(NoReverseMatch):
        render("{% url 'cases:detail' pk %}", pk=-1)  # not what the int converter takes: Django's answer
    with pytest.raises(NoReverseMatch):
        render("{% url 'cases:no_such_page' pk %}", pk=1)
