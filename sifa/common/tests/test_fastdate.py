"""The engine's ``date`` filter (common.templatetags.fastdate) gives Django's answer."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.template.defaultfilters import date as django_date
from django.utils import timezone

VALUES = [
    date(2026, 3, 5),
    date(999, 1, 1),
    datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC),  # already 2027 in Shanghai
    datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    timezone.make_aware(datetime(2026, 7, 1, 0, 0)),
    None,
    "",
    "2026-03-05",
]
FORMATS = ["Y-m-d", "Y-m-d H:i", "Y-m-d H:i:s", "n月j日", "Y年n月j日", "l", None]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("value", VALUES)
def test_the_date_filter_answers_as_djangos(value, fmt):
    arg = f':"{fmt}"' if fmt else ""
    template = Template(f"{{{{ v|date{arg} }}}}")
    local = timezone.localtime(value) if isinstance(value, datetime) else value  # what expects_localtime hands Django's filter
    try:
        theirs = django_date(local, fmt)
    except TypeError:  # a time asked of a date: Django's filter refuses, and so does ours
        with pytest.raises(TypeError):
            template.render(Context({"v": value}))
        return
    assert template.render(Context({"v": value})) == str(theirs)


def test_the_common_formats_are_written_directly(monkeypatch):
    """The two formats of most pages do not go through Django's letter-by-letter format."""
    from sifa.common.templatetags import fastdate

    monkeypatch.setattr(fastdate, "django_date", lambda *a: pytest.fail("went the long way"))
    out = Template('{{ d|date:"Y-m-d" }} {{ t|date:"Y-m-d H:i" }}').render(Context({"d": date(2026, 3, 5), "t": datetime(2026, 3, 5, 16, 30, tzinfo=UTC)}))
    assert out == "2026-03-05 2026-03-06 00:30"
