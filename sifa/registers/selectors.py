"""Who sees which register entries: the case's rules (``cases.selectors``),
applied to the entry's own scoping fields. A register is used by whoever uses
its line (``uses``); another office's entry answers like a missing one."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q, QuerySet
from django.http import Http404

from sifa.cases import selectors as case_selectors
from sifa.kit import registry


def model_of(reg):
    return apps.get_model(reg.model)


def register_for(user, slug: str):
    """The register of this URL part, if the user uses its line (else 404, like a missing page)."""
    reg = registry.register_by_slug(slug)
    if reg is None or not case_selectors.uses(user, reg.case_type):
        raise Http404()
    return reg


def usable(user) -> list:
    return [r for r in registry.registers() if case_selectors.uses(user, r.case_type)]


def handover_spec(reg, key: str):
    """The register's hand-over named ``key`` (``kit.register``), or None."""
    return next((h for h in registry.handovers_from(reg.key) if h.key == key), None)


def may_register(user, reg) -> bool:
    return case_selectors.may_register(user, reg.case_type)


def creatable_orgs(user, reg):
    """Where the user may keep an entry: any active org of their scope, when they may
    register the line's cases (a consultation is kept where it was given, even when
    the line's cases belong to a centre)."""
    return case_selectors.registration_scope(user, reg.case_type)


def visible_q(user, *, within=None) -> Q | None:
    return case_selectors.visible_q(user, within=within, entries=True)


def visible(user, reg, *, within=None) -> QuerySet:
    Model = model_of(reg)
    cond = visible_q(user, within=within) if case_selectors.uses(user, reg.case_type) else None
    return Model.objects.none() if cond is None else Model.objects.filter(cond)


def access_entry(user, reg, pk, *, for_update: bool = False):
    """One entry the user may see, or 404 (and an audit entry when it exists elsewhere)."""
    qs = visible(user, reg)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.select_related("owner_org", "handler", "handed_to").get(pk=pk)
    except (ValueError, TypeError, model_of(reg).DoesNotExist):
        pass
    try:
        exists = model_of(reg).all_objects.filter(pk=pk).exists()
    except (ValueError, TypeError):
        exists = False
    if exists:
        from sifa.audit.services import refused

        refused("register.access", actor=user, object_type=reg.model.lower(), object_id=str(pk), reason="不在访问范围内")
    raise Http404("未找到该登记。")


def search(qs: QuerySet, q: str) -> QuerySet:
    """By number (exact or prefix), person's name (prefix) or words of the content."""
    q = (q or "").strip()
    if not q:
        return qs
    return qs.filter(Q(number__istartswith=q) | Q(person_name__startswith=q) | Q(summary__contains=q))
