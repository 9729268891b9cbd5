"""Reads of case data. Every query for cases starts from ``visible_to(user)``
or ``access_case()``: another office's record answers exactly like a missing
one (404)."""

from __future__ import annotations

import re

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from sifa.accounts.roles import HANDLE, SEE_CASES, Role, has_cap
from sifa.common import identity
from sifa.common.crypto import keyed_hash
from sifa.common.errors import DomainError
from sifa.orgs.selectors import bureau_of

from . import codes
from .models import Case, CaseAssignment, Party


def _assigned(user) -> Exists:
    return Exists(CaseAssignment.objects.filter(case=OuterRef("pk"), user=user, active=True))


def scope_root(user):
    """The org whose subtree bounds what this user may see (None = nothing)."""
    if not has_cap(user, SEE_CASES):
        return None
    if user.role in (Role.LEADER, Role.SECTION):
        return bureau_of(user.org)
    return user.org


def visible_to(user, qs: QuerySet[Case] | None = None, *, include_deleted: bool = False) -> QuerySet[Case]:
    """The cases ``user`` may see (SECURITY.md table)."""
    if qs is None:
        qs = Case.all_objects.all() if include_deleted else Case.objects.all()
    root = scope_root(user)
    if root is None:
        return qs.none()
    role = user.role
    if role == Role.LAWYER:
        # Lawyers work for the legal-aid centre from outside the tree: assignment alone decides.
        qs = qs.filter(Q(handler=user) | _assigned(user))
    else:
        qs = qs.filter(org_path__startswith=root.path)
        if role == Role.SECTION:
            qs = qs.filter(case_type__in=list(user.lines or []))
        elif role == Role.MEDIATOR:
            qs = qs.filter(Q(handler=user) | _assigned(user))
    # Sealed (juvenile) records: only those assigned to them.
    return qs.filter(Q(is_sealed=False) | Q(handler=user) | _assigned(user))


def access_case(user, pk=None, *, code: str | None = None, for_update: bool = False, include_deleted: bool = False) -> Case:
    """One case the user may see, or Http404 (and an audit entry when the case
    exists but belongs to someone else)."""
    qs = visible_to(user, include_deleted=include_deleted)
    if for_update:
        qs = qs.select_for_update(of=("self",))
    lookup = {"pk": pk} if code is None else {"code": codes.normalize(code)}
    try:
        return qs.get(**lookup)
    except (Case.DoesNotExist, ValueError, TypeError):
        pass
    try:
        exists = Case.all_objects.filter(**lookup).exists()
    except (ValueError, TypeError):  # a malformed id is simply not found
        exists = False
    if exists:
        from sifa.audit.services import refused

        refused("case.access", actor=user, object_type="cases.case", object_id=str(pk or ""), object_repr=str(code or ""), reason="不在访问范围内")
    raise Http404("未找到该案件。")


def mine(user) -> QuerySet[Case]:
    """Cases the user handles or is assigned to."""
    return visible_to(user).filter(Q(handler=user) | _assigned(user))


def can_write(user, case: Case) -> bool:
    """May ``user`` change this (visible) case? Leaders read; admins see nothing."""
    return has_cap(user, HANDLE) and visible_to(user).filter(pk=case.pk).exists()


def creatable_orgs(user, case_type: str):
    """Orgs under which ``user`` may register a case of ``case_type``."""
    from sifa.orgs.models import Org
    from sifa.orgs.selectors import subtree

    if not has_cap(user, HANDLE):
        return Org.objects.none()
    if user.role == Role.SECTION and case_type not in (user.lines or []):
        return Org.objects.none()
    root = scope_root(user)
    return subtree(root).filter(is_active=True)


_ID_LIKE = re.compile(r"^\d{15}$|^\d{17}[\dXx]$")
_CODE_LIKE = re.compile(r"^[0-9]{6}[A-Za-z]{0,2}[0-9A-Za-z]*$")
_INITIALS = re.compile(r"^[a-zA-Z]{1,10}$")


def search(user, q: str, qs: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """By case code (exact or prefix), party name (also pinyin initials: zs → 张三,
    or full pinyin), title, or ID number (exact, through the keyed hash)."""
    base = visible_to(user, qs)
    q = (q or "").strip()
    if not q:
        return base
    if _ID_LIKE.match(q):
        try:
            h = keyed_hash(identity.normalize_id_number(q))
            return base.filter(Exists(Party.objects.filter(case=OuterRef("pk"), id_hash=h)))
        except DomainError:
            pass
    upper = codes.normalize(q)
    if len(upper) >= 8 and _CODE_LIKE.match(upper):
        return base.filter(code__startswith=upper)
    party = Party.objects.filter(case=OuterRef("pk"))
    cond = Q(title__icontains=q) | Exists(party.filter(name__icontains=q))
    if _INITIALS.match(q):
        low = q.lower()
        cond |= Exists(party.filter(Q(name_initials__startswith=low) | Q(name_pinyin__startswith=low)))
    return base.filter(cond)


def timeline(case: Case):
    return case.events.select_related("actor").order_by("at", "id")


def parties_of(case: Case):
    return case.parties.all()
