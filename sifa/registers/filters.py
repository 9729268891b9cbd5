"""A register's list filter (keyword, org, dates, the register's own drop-down):
the page, its export and the API filter with it."""

from __future__ import annotations

from django import forms

from sifa.cases import selectors as case_selectors
from sifa.common import sorting
from sifa.common.forms import ListFilterForm
from sifa.common.sorting import Sort, Sorts, date_sort

from . import selectors

# A register's list sorts by its number or its date, both read in order from an
# index of the entry (``Entry.number`` is unique; ``Entry.Meta``: (on, id), (org_path, on)).
SORTS = Sorts({"number": Sort("登记编号", ("number",)), "on": date_sort("登记日期", "on")}, default="-on")


class EntryFilter(ListFilterForm):
    q = forms.CharField(label="关键词", required=False, widget=forms.TextInput(attrs={"placeholder": "登记编号 / 姓名 / 内容"}))
    org = forms.ChoiceField(label="机构", required=False)
    date_from = forms.DateField(label="登记自", required=False, widget=forms.DateInput)
    date_to = forms.DateField(label="登记至", required=False, widget=forms.DateInput)

    def __init__(self, *args, reg, orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [("", "全部")] + [(str(o.pk), o.name) for o in orgs]
        if reg.filter_field:
            field = selectors.model_of(reg)._meta.get_field(reg.filter_field)
            self.fields[reg.filter_field] = forms.ChoiceField(label=field.verbose_name, required=False, choices=[("", "全部"), *field.choices])
            self.fields[reg.filter_field].widget.attrs["class"] = "form-select"


def filtered(user, reg, params):
    """(form, queryset) of a register's list, in the order ``params["sort"]`` asks
    for (newest first by default); the page, its export and the API agree.
    ``form.sorting`` is the page's state."""
    from sifa.orgs.selectors import subtree

    root = case_selectors.scope_root(user)
    orgs = list(subtree(root).filter(is_active=True).order_by("path")[:500]) if root is not None else []
    form = EntryFilter(params or None, reg=reg, orgs=orgs)
    qs = selectors.visible(user, reg)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        qs = selectors.search(qs, d.get("q"))
        if d.get("org"):
            org = next((o for o in orgs if str(o.pk) == d["org"]), None)
            qs = qs.filter(org_path__startswith=org.path) if org else qs.none()
        if d.get("date_from"):
            qs = qs.filter(on__gte=d["date_from"])
        if d.get("date_to"):
            qs = qs.filter(on__lte=d["date_to"])
        if reg.filter_field and d.get(reg.filter_field):
            qs = qs.filter(**{reg.filter_field: d[reg.filter_field]})
    elif form.is_bound:
        qs = qs.none()
    form.sorting = sorting.state(params, SORTS)
    qs = form.sorting.apply(qs)
    return form, qs
