"""Reads of the hotline. Orders always come from the kernel's scoping
(``cases.selectors.visible_to`` / ``access_case``), never from a bare query:
the front desk sees what it owns, a handling unit what was dispatched to it
(a share of the order)."""

from __future__ import annotations

from django.db.models import Q

from sifa.cases import selectors as case_selectors

from .choices import CASE_TYPE, DISPATCHED_TO, Status


def cases(user):
    """The orders the user may see."""
    return case_selectors.line_cases(user, CASE_TYPE)


def waiting_at(org) -> Q:
    """Orders dispatched to ``org`` (or under it) and not yet answered."""
    return Q(status__in=(Status.DISPATCHED, Status.HANDLING), workorder__dispatched_to__path__startswith=org.path)


def todo(user):
    """The handling unit's 待办工单 (the list's 派给本单位办理的 filter is the same)."""
    org = getattr(user, "org", None)
    if org is None:
        return cases(user).none()
    return cases(user).filter(waiting_at(org))


def todo_count(user) -> int:
    """The menu's badge: counted only for units orders are dispatched to (an office, the
    legal-aid centre, a committee, a centre), not on every page a bureau's staff open."""
    org = getattr(user, "org", None)
    if org is None or org.kind not in DISPATCHED_TO or not case_selectors.uses(user, CASE_TYPE):
        return 0
    return todo(user).count()


# --- knowledge base (知识库) --------------------------------------------------------------------


KEEPERS = frozenset({"bureau", "city_bureau", "pls_center"})


def keeper_org(user):
    """The org whose knowledge base ``user`` keeps (the bureau, the city bureau; an
    operator at a centre keeps the centre's bureau's), or None when they only read it."""
    from sifa.accounts.roles import HANDLE, has_cap
    from sifa.orgs.selectors import bureau_of

    org = getattr(user, "org", None)
    if org is None or org.kind not in KEEPERS or not has_cap(user, HANDLE) or not case_selectors.uses(user, CASE_TYPE):
        return None
    return bureau_of(org)


def answers(user, *, active_only: bool = True):
    """The answers ``user`` reads: kept by an org on their path upward (their bureau,
    their city) or inside their subtree. Nothing for users outside the line."""
    from .models import Answer

    org = getattr(user, "org", None)
    if org is None or not case_selectors.uses(user, CASE_TYPE):
        return Answer.objects.none()
    qs = Answer.objects.filter(Q(org_id__in=org.ancestor_ids) | Q(org_path__startswith=org.path))
    return qs.filter(is_active=True) if active_only else qs


def search_answers(user, q: str = "", category: str = "", *, active_only: bool = True):
    """Every whitespace-separated term of ``q`` in the question, keywords, answer or
    basis (PostgreSQL: through the bigram index of hotline migration 0002, as the
    case search does); most used first."""
    qs = answers(user, active_only=active_only)
    for term in (q or "").split()[:5]:
        qs = qs.filter(case_selectors.contains_q("search_text", term[:50]))
    if category:
        qs = qs.filter(category=category)
    return qs.select_related("org").order_by("-uses", "category", "id")


# --- knowledge base: the list's orders ----------------------------------------------------------

# Most used first (what operators reach for), or the newest changes first (what a keeper
# checks after editing): the list's 排序 (views/knowledge.py, SearchForm).
ANSWER_ORDERS = {"used": ("-uses", "category", "id"), "new": ("-updated_at", "-id")}


def ordered_answers(qs, order: str = ""):
    return qs.order_by(*ANSWER_ORDERS.get(order, ANSWER_ORDERS["used"]))
