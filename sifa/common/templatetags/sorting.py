"""Sortable list headers (``common.sorting``).

``{% sort_th sorting "code" %}`` is the ``<th>`` of a sortable column: a link to
the same page sorted by it (the other way round when it is the current sort),
every other query parameter kept but ``page`` (a new order starts on page 1),
``aria-sort`` on the current column and an arrow saying which way. An optional
third argument names the column when the list names it otherwise ("受理日期").
Without a ``sorting`` (a page that does not sort) or for a key the list does
not declare, it is a plain ``<th>``.

``{% sort_select sorting %}`` is the filter bar's "排序" drop-down: on a phone
the table becomes cards and its header is hidden, so the order is chosen there.
It is shown on a phone only; on a wider screen it is hidden but still sent with
the filter form, so filtering keeps the current order.

Only Bootstrap utility classes: the styles of the app are another file's.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def _query(context, value: str) -> str:
    request = context.get("request")
    params = request.GET.copy() if request is not None else None
    if params is None:
        return f"?sort={value}"
    params.pop("page", None)
    params["sort"] = value
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def sort_th(context, sorting, key: str, label: str = "", css: str = ""):
    sort = sorting.sorts.keys.get(key) if sorting is not None else None
    label = label or (sort.label if sort else key)
    cls = format_html(' class="{}"', css) if css else ""
    if sort is None:
        return format_html("<th{}>{}</th>", cls, label)
    current = sorting.key == key
    target = sorting.toggled(key)
    way = "降序" if target.startswith("-") else "升序"
    if current:
        aria = format_html(' aria-sort="{}"', "descending" if sorting.desc else "ascending")
        icon = format_html('<i class="bi {} ms-1" aria-hidden="true"></i>', "bi-arrow-down" if sorting.desc else "bi-arrow-up")
    else:
        aria = ""
        icon = mark_safe('<i class="bi bi-arrow-down-up ms-1 opacity-25" aria-hidden="true"></i>')
    return format_html(
        '<th{}{}><a class="link-body-emphasis text-decoration-none text-nowrap" href="{}" title="按{}{}排列" data-sort="{}">{}{}</a></th>',
        cls,
        aria,
        _query(context, target),
        label,
        way,
        key,
        label,
        icon,
    )


@register.simple_tag
def sort_select(sorting, label: str = "排序"):
    if sorting is None:
        return ""
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == sorting.value else "", text) for value, text in sorting.options()),
    )
    return format_html(
        '<div class="d-md-none"><div class="mb-0"><label class="form-label" for="id_sort">{}</label>'
        '<select class="form-select" name="sort" id="id_sort" data-testid="sort-select">{}</select></div></div>',
        label,
        options,
    )
