"""Reads of 法律援助. Cases always come from the kernel's scoping
(``cases.selectors.visible_to`` / ``access_case``), never from a bare query."""

from sifa.cases import selectors as case_selectors
from sifa.orgs.models import Org
from sifa.orgs.selectors import bureau_of

from .choices import CASE_TYPE, CENTER
from .models import Provider


def cases(user):
    """The cases of this line the user may see."""
    return case_selectors.line_cases(user, CASE_TYPE)


def centers_for(user, scope):
    """Where ``user`` may register a legal-aid case (``CaseType.owners_for``): the
    centres in their scope, and, for anyone who registers in an office (通办), the
    centres of their bureau and of the city above it."""
    own = scope.filter(kind=CENTER)
    bureau = bureau_of(user.org) if user.org_id else None
    if bureau is None:
        return own
    near = Org.objects.filter(kind=CENTER, is_active=True, path__startswith=bureau.path)
    if bureau.parent_id:
        near = near | Org.objects.filter(kind=CENTER, is_active=True, parent_id=bureau.parent_id)
    return (own | near).distinct()


def providers_for(case):
    """The providers the case's centre may assign (its own and its bureau's)."""
    bureau = bureau_of(case.owner_org)
    return Provider.objects.filter(is_active=True, org_path__startswith=bureau.path).order_by("name", "id")


def provider_of(user):
    return Provider.objects.filter(user=user).first()


def next_in_rotation(case, on):
    """轮流指派: the provider of the centre's registry whose last assignment is oldest
    (never assigned first), among those the case may go to (§26 for capital cases)."""
    from django.db.models import F, Max

    from . import conf

    qs = providers_for(case).annotate(last=Max("cases__assigned_on")).order_by(F("last").asc(nulls_first=True), "id")
    rec = case.record
    if rec is not None and (rec.capital or rec.stage == "death_review"):
        years = int(conf.get("CAPITAL_YEARS"))
        return next((p for p in qs.filter(kind="lawyer") if p.practice_years(on) >= years), None)
    return qs.first()
