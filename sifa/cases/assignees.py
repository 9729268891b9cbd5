"""Who may be made a case's handler (承办人) or be assigned to it: the active people
of its bureau who work cases and who would see the case once given it.

This is ``selectors.visible_q`` read from the other side: instead of "which cases
does this user see", "which users see this case, given that they handle it"
(handling opens a sealed record and is what an assignment-scoped role sees by).
It is one query over the users (plus one for the section staff, whose lines are a
JSON list no index reads), however many people the bureau has: the case's
organisation and its ancestors are known from its path, so "the case lies under
the user's scope" is ``user.org_id IN (ancestors)``. ``test_assignees.py`` checks
it against ``visible_to`` for every role, so the two rules cannot drift apart.

Cases shared with another office are not counted: a share lets that office read
(or help with) a case that stays its owner's to handle.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from sifa.accounts.roles import HANDLE, REPORT, SEE_CASES
from sifa.kit import registry, roles

from .models import Case


def _ancestor_ids(case: Case) -> list[int]:
    """The case's organisation and every organisation above it (from its path)."""
    return [int(p) for p in (case.org_path or "").strip("/").split("/") if p]


def _role_reaches(spec, case_type: str, restricted: set[str]) -> bool:
    """May holders of this role see a case of this type at all, once they handle
    it? ``visible_q``'s conditions on the case type, in the same order."""
    if SEE_CASES not in spec.caps or not spec.caps & {HANDLE, REPORT}:
        return False  # leaders, statisticians and the three administrators handle nothing
    if spec.scope != roles.LINES and spec.case_types is not None and not spec.assignment_scoped and case_type not in spec.case_types:
        return False  # a role limited to some lines (an assignment is an explicit grant)
    if spec.scope not in (roles.BUREAU, roles.LINES) and case_type in restricted and (spec.case_types is None or case_type not in spec.case_types):
        return False  # a restricted line (社区矫正) is seen only by the roles named for it
    return spec.restricted_files or case_type not in restricted


def assignable_q(case: Case) -> Q | None:
    """The condition on users (active, of the case's bureau) who would see ``case``
    once assigned to it; None when nobody would."""
    user_model = get_user_model()
    restricted = set(registry.restricted_types())
    above = _ancestor_ids(case)
    cond = Q(pk__in=[])
    any_role = False
    for spec in registry.roles():
        if not _role_reaches(spec, case.case_type, restricted):
            continue
        any_role = True
        if spec.scope == roles.ASSIGNED_ANYWHERE:
            cond |= Q(role=spec.code)  # 援助律师: the assignment alone decides
        elif spec.scope == roles.LINES:
            # 科室: the bureau's cases of the lines named on the user.
            pairs = user_model.objects.filter(role=spec.code, is_active=True, org_id__in=above).values_list("pk", "lines")
            ids = [pk for pk, lines in pairs if case.case_type in (lines or [])]
            cond |= Q(pk__in=ids)
        else:
            # BUREAU, ORG and ASSIGNED roles see the subtree of their own organisation
            # (a bureau role sits on its bureau: the org kinds are part of the grant).
            cond |= Q(role=spec.code, org_id__in=above)
    if not any_role:
        return None
    bureau_path = case.bureau.path if case.bureau_id else (case.org_path or "")
    return cond & Q(is_active=True, org__path__startswith=bureau_path)


def assignable_users(case: Case) -> QuerySet:
    """The people who may be made ``case``'s handler or be assigned to it, with their
    organisation (the page shows it beside each name)."""
    user_model = get_user_model()
    cond = assignable_q(case)
    if cond is None:
        return user_model.objects.none()
    return user_model.objects.filter(cond).select_related("org").order_by("org__path", "full_name", "pk")


def may_be_assigned(case: Case, user) -> bool:
    """Would ``user`` see ``case`` once assigned to it (and may they work it)?"""
    if user is None or getattr(user, "pk", None) is None:
        return False
    cond = assignable_q(case)
    return cond is not None and get_user_model().objects.filter(cond, pk=user.pk).exists()


class NotAssignable(Exception):
    """Raised inside ``services.assign``'s transaction and answered outside it:
    the refusal's audit entry must not be rolled back with the write it refused."""

    def __init__(self, case: Case, message: str, reason: str):
        super().__init__(message)
        self.case, self.message, self.reason = case, message, reason


def check_assignee(case: Case, user, make_handler: bool) -> None:
    """Only someone who would see the case may handle it or be assigned to it:
    never another office's user, a reader, an administrator, or a role that does
    not work the case's line."""
    what = "设为承办人" if make_handler else "指派"
    name = getattr(user, "display_name", "") or getattr(user, "username", "")
    if not getattr(user, "is_active", False):
        raise NotAssignable(case, f"被指派人员：“{name}”已停用，不能{what}。", "人员已停用")
    spec = registry.role(getattr(user, "role", ""))
    if spec is None or SEE_CASES not in spec.caps or not spec.caps & {HANDLE, REPORT}:
        label = spec.label if spec else "无"
        raise NotAssignable(case, f"被指派人员：“{name}”的角色（{label}）不办理案件，不能{what}。", "人员的角色不办理案件")
    if not may_be_assigned(case, user):
        raise NotAssignable(case, f"被指派人员：“{name}”无权查看本案，不能{what}；请从能查看本案的人员中选择。", "人员无权查看本案")
