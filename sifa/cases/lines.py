"""A line's generic pages: its lists (with their filters and the export of
exactly what they show) and its registration form with the parties.

A line declares a ``kit.line.ListSpec`` (its key, label, case type, filter form,
template) in its ``Line``; ``line_list(key)`` is its page, the ledger export
source of the same key gives its "导出本列表", and the line's API list filters
with the same form. The filter names a bad field on the page and still applies
the good ones; the export refuses instead (it must hold exactly what was asked).
``register_page`` is a registration form with its parties' formset, calling
the line's own service.
"""

from __future__ import annotations

from dataclasses import replace

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from sifa.accounts.roles import EXPORT, has_cap
from sifa.common import sorting
from sifa.common.errors import DomainError
from sifa.common.forms import ListFilterForm, applied_filters, fill_dictionaries
from sifa.common.paging import CappedPaginator
from sifa.common.sorting import Sorts
from sifa.kit import registry

from . import selectors
from .forms import parties_from, party_formset

PAGE_SIZE = 30


class CaseFilter(ListFilterForm):
    """Base of a line's list filter: keyword, status (在办 or one state) and the
    registration dates. A line adds its own fields and says what each filters:
    ``lookups`` maps a field to a lookup on the case ("dispute__source_group";
    a boolean filters only when ticked), or the form has ``filter_<field>(qs, value)``."""

    q = forms.CharField(label="关键词", required=False, widget=forms.TextInput(attrs={"placeholder": "编码 / 当事人 / 拼音首字母"}))
    status = forms.ChoiceField(label="状态", required=False)
    date_from = forms.DateField(label="收案自", required=False, widget=forms.DateInput)
    date_to = forms.DateField(label="收案至", required=False, widget=forms.DateInput)

    lookups: dict[str, str] = {}
    case_type = ""
    # The dates' names on this line's list ("登记" on a dispute list); by default what the
    # case type calls its opening (``CaseType.opened_label``: 受理 on a 12348 order), as
    # the case page's header does.
    date_word = ""

    def __init__(self, data=None, *, user=None, case_type: str = "", **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        self.case_type = case_type or self.case_type
        ct = registry.case_type(self.case_type)
        self.date_word = self.date_word or ct.opened_label
        self.fields["status"].choices = [("", "全部状态"), ("open", "在办"), *ct.workflow.states.items()]
        self.fields["date_from"].label, self.fields["date_to"].label = f"{self.date_word}自", f"{self.date_word}至"
        fill_dictionaries(self)
        for f in self.fields.values():
            if getattr(f, "code_set", None):
                f.choices = [("", f"全部{f.label}")] + list(f.choices)[1:]
        self.setup()

    def setup(self) -> None:
        """Override: choices that depend on the user (``self.user``)."""

    def filter(self, qs: QuerySet) -> QuerySet:
        if not self.is_bound:
            return qs
        d = applied_filters(self)
        if d["q"]:
            qs = selectors.search(self.user, d["q"], qs)
        if d["status"] == "open":
            qs = qs.filter(closed_on__isnull=True)
        elif d["status"]:
            qs = qs.filter(status=d["status"])
        if d["date_from"]:
            qs = qs.filter(opened_on__gte=d["date_from"])
        if d["date_to"]:
            qs = qs.filter(opened_on__lte=d["date_to"])
        for name, value in d.items():
            if value in (None, "", False) or name in ("q", "status", "date_from", "date_to"):
                continue
            if hasattr(self, f"filter_{name}"):
                qs = getattr(self, f"filter_{name}")(qs, value)
            elif name in self.lookups:
                qs = qs.filter(**{self.lookups[name]: value})
        return qs


def list_sorts(spec, form) -> Sorts:
    """The list's sorts, its date named as its filter names it ("登记日期" on a dispute list)."""
    sorts = spec.sorts
    opened = sorts.keys.get("opened_on")
    word = getattr(form, "date_word", "") or "收案"
    if opened is not None and opened.label == "收案日期" and word != "收案":
        sorts = sorts.with_keys(opened_on=replace(opened, label=word if word.startswith("收到") else f"{word}日期"))
    return sorts


def filtered(user, spec, params) -> tuple[CaseFilter, QuerySet]:
    """(bound filter form, the visible cases of the list that match it, in the order
    ``params["sort"]`` asks for: newest first by default). The page, its export and
    the API agree on the order as on the rows; ``form.sorting`` is the page's state."""
    form = spec.filter_form(params or None, user=user, case_type=spec.case_type)
    qs = form.filter(selectors.line_cases(user, spec.case_type))
    form.sorting = sorting.state(params, list_sorts(spec, form))
    return form, form.sorting.apply(qs)


def _export_url(spec, params) -> str:
    try:
        url = reverse("ledgers:export")
    except NoReverseMatch:  # the ledgers app is not installed
        return ""
    params = params.copy()
    params.pop("page", None)
    params["source"] = spec.key
    return f"{url}?{params.urlencode()}"


def line_list(key: str):
    """The page of the list ``key`` (a ``ListSpec`` of a line)."""

    @login_required
    def view(request):
        spec = registry.list_spec(key)
        user = request.user
        selectors.require_line(user, spec.case_type)
        form, qs = filtered(user, spec, request.GET)
        page = CappedPaginator(qs.select_related("owner_org", "handler", *spec.related), PAGE_SIZE).get_page(request.GET.get("page"))
        from sifa.deadlines.selectors import with_lights

        ct = registry.case_type(spec.case_type)
        if spec.decorate is not None:
            spec.decorate(list(page.object_list))
        return render(
            request,
            spec.template,
            {
                "spec": spec,
                "ct": ct,
                "form": form,
                "page_obj": page,
                "sorting": form.sorting,
                "rows": with_lights(page.object_list),
                "create_url": reverse(ct.create_url_name) if ct.create_url_name and selectors.may_register(user, ct.key) else "",
                "export_url": _export_url(spec, request.GET) if has_cap(user, EXPORT) else "",
                "breadcrumbs": [(spec.label, None)],
                **(spec.context() if spec.context else {}),
            },
        )

    return view


def register_page(
    request,
    *,
    case_type: str,
    form_class,
    register,
    crumbs,
    template: str = "cases/register.html",
    min_parties: int = 1,
    initial: dict | None = None,
    party_initial: list | None = None,
    formset: bool = True,
    choose_org: bool = False,
    context: dict | None = None,
):
    """A line's registration page: its form and the parties' formset; ``register(user,
    cleaned data, parties, files)`` is the line's service. ``choose_org``: the form
    takes the orgs the user may register under (``orgs=``) and its ``owner_org``
    comes back as the Org. Without a formset the form gives ``parties()`` itself.
    A refusal puts the Chinese sentence beside its field and saves nothing;
    possible duplicates (``PossibleDuplicate``) are listed for the user to confirm."""
    from .services import PossibleDuplicate

    user = request.user
    ct = registry.case_type(case_type)
    selectors.require_line(user, case_type)
    if not selectors.may_register(user, case_type):
        raise PermissionDenied(f"您的角色只能查看，不能登记{ct.label}案件。")
    orgs = selectors.checked_creatable(list(selectors.creatable_orgs(user, case_type).order_by("path")), user, case_type) if choose_org else []
    if choose_org and not orgs:
        raise PermissionDenied(f"您的范围内没有可登记{ct.label}案件的机构。")
    data = request.POST if request.method == "POST" else None
    form = form_class(data, request.FILES or None, initial=initial or {}, **({"orgs": orgs} if choose_org else {}))
    form.duplicates = []
    parties = party_formset(data, roles=ct.party_roles, extra=1 if party_initial else 2, min_parties=min_parties, initial=party_initial) if formset else None
    status = 200
    if data is not None:
        status = 400
        if form.is_valid() and (parties is None or parties.is_valid()):
            d = dict(form.cleaned_data)
            files = d.pop("attachments", [])
            if choose_org:
                d["owner_org"] = next(o for o in orgs if str(o.pk) == str(d["owner_org"]))
            try:
                with transaction.atomic():
                    case = register(user, d, parties_from(parties) if parties is not None else form.parties(), files)
            except PossibleDuplicate as exc:
                form.duplicates = exc.matches
                form.add_error(None, exc.message)
            except DomainError as exc:
                if exc.field in form.fields:
                    form.add_domain_error(exc)
                else:
                    form.add_error(None, exc.message)
                status = exc.status_code if exc.status_code in (400, 403, 409) else 400
            else:
                # A call answered on the spot is closed by its registration: say so.
                messages.success(request, f"已登记{'并办结' if case.closed_on else ''}，案件编码 {case.code}。")
                return redirect("cases:detail", pk=case.pk)
    crumbs = [(crumbs, None)] if isinstance(crumbs, str) else crumbs
    page = {"form": form, "parties": parties, "breadcrumbs": crumbs, "title": crumbs[-1][0], "cancel_url": reverse("cases:home")}
    return render(request, template, page | (context or {}), status=status)
