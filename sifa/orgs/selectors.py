"""Reads of the organisation tree."""

from __future__ import annotations

from django.db.models import QuerySet

from .choices import OrgKind
from .models import Org


def subtree(org: Org, include_self: bool = True) -> QuerySet[Org]:
    qs = Org.objects.filter(path__startswith=org.path)
    return qs if include_self else qs.exclude(pk=org.pk)


def ancestors(org: Org) -> QuerySet[Org]:
    return Org.objects.filter(pk__in=org.ancestor_ids).order_by("depth")


def bureau_of(org: Org) -> Org:
    """The nearest district bureau at or above ``org`` (the owner of case codes).

    A city bureau is its own "bureau" for matters it handles directly. Kept on the
    ``org`` object while its path stands: a page asks it for its user's org several
    times (the scope, the menu's numbers, the codes), each an ancestors query before.
    """
    if org.kind in (OrgKind.BUREAU, OrgKind.CITY_BUREAU):
        return org
    kept = org.__dict__.get("_sifa_bureau_of")
    if kept is not None and kept[0] == org.path:
        return kept[1]
    found = _bureau_above(org)
    org.__dict__["_sifa_bureau_of"] = (org.path, found)
    return found


def _bureau_above(org: Org) -> Org:
    above = list(ancestors(org).order_by("-depth"))
    for kind in (OrgKind.BUREAU, OrgKind.CITY_BUREAU):
        for anc in above:
            if anc.kind == kind:
                return anc
    return org


def office_of(org: Org) -> Org | None:
    """The judicial office at or above ``org`` (None for bureau-level orgs)."""
    if org.kind == OrgKind.OFFICE:
        return org
    for anc in ancestors(org).order_by("-depth"):
        if anc.kind == OrgKind.OFFICE:
            return anc
    return None


def tree_rows(root: Org | None = None) -> list[Org]:
    qs = Org.objects.all() if root is None else subtree(root)
    return list(qs.order_by("path"))


def active_user_counts() -> dict[int, int]:
    """Active users per org id (shown on the tree page)."""
    from django.apps import apps
    from django.db.models import Count

    User = apps.get_model("accounts", "User")
    return dict(User.objects.filter(is_active=True).values("org").annotate(n=Count("id")).values_list("org", "n"))
