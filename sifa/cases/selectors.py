"""Reads of case data. Every query for cases starts from ``visible_to(user)``
or ``access_case()``: another office's record answers exactly like a missing
one (404)."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, Func, OuterRef, Q, QuerySet, Subquery, Value
from django.http import Http404

from sifa.accounts.roles import HANDLE, SEE_CASES, has_cap
from sifa.common import identity
from sifa.common.crypto import keyed_hash
from sifa.common.errors import DomainError
from sifa.kit import registry, roles
from sifa.kit.casetype import BUREAU, OFFICE
from sifa.orgs.selectors import bureau_of

from . import codes
from .models import Case, CaseAssignment, Party


def _assigned_ids(user) -> QuerySet:
    """Ids of the cases ``user`` is actively assigned to, as a subquery."""
    return CaseAssignment.objects.filter(user=user, active=True).values("case_id")


class _AnyOf(Func):
    """``field IN (subquery)``; on PostgreSQL written ``field = ANY(ARRAY(subquery))``.

    The same rows, but PostgreSQL runs the subquery once, before the scan, as an
    init plan, and costs it once. As a correlated EXISTS or a hashed ``IN`` it is
    costed per row, or again on every inner loop of a nested loop: in the sealed
    records' condition, which every scoped query carries, that inflated the
    estimates of province-scale queries into the millions (hash joins and sorts
    chosen over index walks, JIT compiling at ≈100 ms a query; benchmarks/)."""

    output_field = BooleanField()

    def __init__(self, field, subquery):
        super().__init__(field, Subquery(subquery))

    def as_sql(self, compiler, connection, **extra):
        field, field_params = compiler.compile(self.source_expressions[0])
        sub, sub_params = compiler.compile(self.source_expressions[1])
        template = "{} = ANY(ARRAY{})" if connection.vendor == "postgresql" else "{} IN {}"
        return template.format(field, sub), (*field_params, *sub_params)


def _handles(user, prefix: str = "") -> Q:
    """Cases ``user`` handles or is actively assigned to."""
    return Q(**{f"{prefix}handler": user}) | Q(_AnyOf(F(f"{prefix}pk"), _assigned_ids(user)))


def handled_ids(user) -> QuerySet:
    """Ids of the cases ``user`` handles or is actively assigned to, as a
    subquery (a UNION: each side is one index lookup, and ``IN`` joins it
    without multiplying rows, where an OR across the assignments join needs
    DISTINCT over everything the scope holds)."""
    return Case.all_objects.filter(handler=user).order_by().values("pk").union(_assigned_ids(user))


def _spec(user):
    return registry.role(getattr(user, "role", ""))


def scope_root(user):
    """The org whose subtree bounds what this user may see (None = nothing)."""
    if not has_cap(user, SEE_CASES):
        return None
    spec = _spec(user)
    if spec.scope in (roles.BUREAU, roles.LINES):
        return bureau_of(user.org)
    return user.org


def badge_scope(user) -> int | None:
    """The org whose subtree keys this user's copies of the menu's numbers (common.badges)."""
    root = scope_root(user)
    return root.pk if root is not None else None


def visible_q(user, prefix: str = "", *, within=None, shared: bool | str = False, entries: bool = False, counting: bool = False) -> Q | None:
    """``visible_to``'s conditions as one Q over a case reached through
    ``prefix`` ("" on the case table, "case__" from a line's model or a
    deadline); None when the user may see no case. Deleted cases are left to
    the caller (its manager or an ``is_deleted`` filter). ``within``: also
    only cases under this org.

    Applied to the joined case, the conditions spare the second pass over the
    organisation subtree that ``case__in=visible_to(user)`` costs. With
    ``within``, one prefix condition stands for both subtrees when one holds
    the other: PostgreSQL multiplies the selectivities of two LIKEs on the
    same column and would expect a tenth of the rows it reads.

    ``shared``: also the cases shared with the user's organisation subtree
    (``CaseShare``): case pages, lists and search see them; figures and the
    clocks' lists count a case where it is owned. ``shared="subquery"``: the same, joined
    as a subquery (one case looked up) unless this request already read the list.

    ``counting``: for a figure's aggregate only (never a list or a drill-down): a sealed
    case is counted where its kind is seen, its name never shown, so a bureau's
    figures include its minors (社区矫正 §54, juvenile disputes).

    ``entries``: the rows are register entries (``registers.models.Entry``),
    which carry the case's scoping fields but have no assignments: "handled
    by the user" is their handler alone."""
    root = scope_root(user)
    if root is None:
        return None
    spec = _spec(user)
    p = prefix
    # Assignment alone decides for roles that work from outside the tree (援助律师).
    paths = [root.path] if spec.scope != roles.ASSIGNED_ANYWHERE else []
    if within is not None:
        if paths and within.path.startswith(paths[0]):
            paths = [within.path]
        elif not paths or not paths[0].startswith(within.path):
            paths.append(within.path)
    cond = Q()
    for path in paths:
        cond &= Q(**{f"{p}org_path__startswith": path})
    if shared == "subquery" and within is None and not spec.assignment_scoped and getattr(user, "_sifa_shared", None) is None:
        # One case looked up (access_case): the shares joined as a subquery rather than read
        # first as a list, one query fewer; the same rows.
        from .models import CaseShare

        cond |= Q(**{f"{p}pk__in": CaseShare.objects.filter(active=True, org_path__startswith=root.path).values("case_id")})
    elif shared and within is None and not spec.assignment_scoped and (ids := shared_ids(user, root)):
        cond |= Q(**{f"{p}pk__in": ids})
    handles = Q(**{f"{p}handler": user}) if entries else _handles(user, p)
    if spec.assignment_scoped:
        cond &= handles
    if spec.scope == roles.LINES:
        cond &= Q(**{f"{p}case_type__in": list(user.lines or [])})
    elif spec.case_types is not None and not spec.assignment_scoped:
        # A role limited to some lines sees no other line's case, even in its own office.
        # (An assignment is an explicit grant: assignment-scoped roles see what they are given.)
        cond &= Q(**{f"{p}case_type__in": list(spec.case_types)})
    if spec.scope not in (roles.BUREAU, roles.LINES) and (hidden := _restricted_for(spec)):
        # A restricted line (社区矫正) is seen only by the roles named for it.
        cond &= ~Q(**{f"{p}case_type__in": hidden})
    if counting:
        return cond
    if not spec.restricted_files and (restricted := registry.restricted_types()):
        cond &= ~Q(**{f"{p}case_type__in": restricted})
    # Sealed (juvenile) records: only those assigned to them.
    return cond & (Q(**{f"{p}is_sealed": False}) | handles)


def _restricted_for(spec) -> list[str]:
    """The restricted case types this role is not named for."""
    return [key for key in registry.restricted_types() if spec.case_types is None or key not in spec.case_types]


def visible_to(user, qs: QuerySet[Case] | None = None, *, include_deleted: bool = False, within=None) -> QuerySet[Case]:
    """The cases ``user`` may see (SECURITY.md table), shared ones included; with
    ``within``, only those under that org."""
    if qs is None:
        qs = Case.all_objects.all() if include_deleted else Case.objects.all()
    cond = visible_q(user, within=within, shared=True)
    if cond is None:
        return qs.none()
    return qs.filter(cond)


def access_case(user, pk=None, *, code: str | None = None, for_update: bool = False, include_deleted: bool = False, page: bool = False) -> Case:
    """One case the user may see, or Http404 (and an audit entry when the case
    exists but belongs to someone else). ``page``: for the case page, its line's
    record (``case.record``) joined in the same query, and whether it has the rows
    most cases have none of (``page_has``), so the page does not read empty lists."""
    # The page shows the owner and the handler: loaded with the case, not one query each.
    qs = Case.all_objects.all() if include_deleted else Case.objects.all()
    cond = visible_q(user, shared="subquery")
    qs = (qs.filter(cond) if cond is not None else qs.none()).select_related("owner_org", "handler")
    own = visible_q(user)
    if own is not None:
        # works_on's first question (is it in the user's own scope, shares aside?) answered
        # with the case: the case page asks it three times (may_write, may_reopen, the steps).
        qs = qs.annotate(_sifa_in_scope=ExpressionWrapper(own, output_field=BooleanField()))
    records = _record_relations() if page else ()
    if page:
        # Every line's record by its primary key (the case's): one row at most is not empty.
        qs = qs.select_related(*records).annotate(**_page_exists())
    if for_update:
        qs = qs.select_for_update(of=("self",))
    lookup = {"pk": pk} if code is None else {"code": codes.normalize(code)}
    try:
        case = qs.get(**lookup)
    except (Case.DoesNotExist, ValueError, TypeError):
        pass
    else:
        if case.__dict__.pop("_sifa_in_scope", False):
            _works_memo(case)[_works_key(user, case)] = True
        if page:
            ct = case.type
            if ct is not None and ct.record_model is not None:
                # What Case.record (a cached property) would read, already read.
                case.__dict__["record"] = getattr(case, ct.record_model._meta.model_name, None)
            case.__dict__["_sifa_has"] = {name: case.__dict__.pop(f"_sifa_has_{name}") for name in _page_exists_names()}
        return case
    try:
        exists = Case.all_objects.filter(**lookup).exists()
    except (ValueError, TypeError):  # a malformed id is simply not found
        exists = False
    if exists:
        from sifa.audit.services import refused

        refused("case.access", actor=user, object_type="cases.case", object_id=str(pk or ""), object_repr=str(code or ""), reason="不在访问范围内")
    raise Http404("未找到该案件。")


def _page_exists_names() -> tuple[str, ...]:
    return ("links", "shares", "procedures", "attachments")


def _page_exists() -> dict:
    from sifa.attachments.models import Attachment

    from .models import CaseLink, CaseShare, Procedure

    case = OuterRef("pk")
    return {
        "_sifa_has_links": Exists(CaseLink.objects.filter(Q(source=case) | Q(target=case))),
        "_sifa_has_shares": Exists(CaseShare.objects.filter(case=case, active=True)),
        "_sifa_has_procedures": Exists(Procedure.objects.filter(case=case)),
        "_sifa_has_attachments": Exists(Attachment.objects.filter(case=case)),
    }


def page_has(case, what: str) -> bool:
    """Has the case any ``what`` (links, shares, procedures, attachments, deleted ones
    included)? True when not known (the case not loaded by ``access_case(page=True)``)."""
    return getattr(case, "__dict__", {}).get("_sifa_has", {}).get(what, True)


def _record_relations() -> tuple[str, ...]:
    """The reverse names of the lines' records (``LineRecord``: the model's name in lower case)."""
    return tuple(sorted({ct.record_model._meta.model_name for ct in registry.case_types() if ct.record_model is not None}))


def mine(user) -> QuerySet[Case]:
    """Cases the user handles or is assigned to."""
    return visible_to(user).filter(_handles(user))


# Bumped by every change of a share in this process, so a user object that
# remembered its shares (one request's) never uses a stale list.
SHARES_VERSION = [0]


def shared_ids(user, root=None) -> list[int]:
    """Ids of the cases shared with the user's organisation subtree (one small
    query per request; the list joins the scope as ``id IN (…)``, which the
    index on ids serves beside the prefix index on the owner's path)."""
    root = root or scope_root(user)
    if root is None:
        return []
    memo = getattr(user, "_sifa_shared", None)
    if memo is not None and memo[0] == (SHARES_VERSION[0], root.path):
        return memo[1]
    from .models import CaseShare

    ids = list(CaseShare.objects.filter(active=True, org_path__startswith=root.path).values_list("case_id", flat=True)[:10000])
    user._sifa_shared = ((SHARES_VERSION[0], root.path), ids)
    return ids


def works_on(user, case: Case) -> bool:
    """Is the case the user's to work on (as far as their role's capabilities
    go)? Within their own scope, or shared with them to be worked on; a case
    shared read-only is only read. Remembered on the case object (a page asks several times)
    for as long as its owner, handler and the process's shares stay as they were."""
    memo, key = _works_memo(case), _works_key(user, case)
    if key not in memo:
        memo[key] = _works_on(user, case)
    return memo[key]


def _works_memo(case: Case) -> dict:
    return case.__dict__.setdefault("_sifa_works_on", {})


def _works_key(user, case: Case) -> tuple:
    return (user.pk, case.pk, case.org_path, case.handler_id, case.version, SHARES_VERSION[0])


def _works_on(user, case: Case) -> bool:
    cond = visible_q(user)
    if cond is not None and Case.all_objects.filter(cond, pk=case.pk).exists():
        return True
    root = scope_root(user)
    return root is not None and case.shares.filter(active=True, can_write=True, org_path__startswith=root.path).exists()


def may_write(user, case: Case) -> bool:
    """May ``user`` change this case? A role that handles cases, on a case it works on,
    not archived (归档 is read-only until reopened, ``cases.archive``)."""
    from .archive import is_archived

    return has_cap(user, HANDLE) and not is_archived(case) and works_on(user, case)


def can_write(user, case: Case) -> bool:
    """May ``user`` change this (visible) case? Leaders read; admins see nothing."""
    return may_write(user, case)


def uses(user, case_type: str, *, counting: bool = False) -> bool:
    """May ``user`` work with (or read) this line at all: its pages, API and figures?
    Office-level lines are used by every role that sees cases (within its own
    scope); bureau-level lines by the bureau's leaders and the line's section
    staff; a role limited to some lines (调解员, 援助律师 …) uses only those.
    ``counting``: its figures only (a role that counts a restricted line it may
    not open, ``RoleSpec.restricted_files``, sees them)."""
    if not has_cap(user, SEE_CASES):
        return False
    ct = registry.find_type(case_type)
    spec = _spec(user)
    if ct is None or (spec.case_types is not None and case_type not in spec.case_types):
        return False
    if ct.restricted and spec.case_types is None and spec.scope not in (roles.BUREAU, roles.LINES):
        return False  # only the roles named for it (CaseType.restricted)
    if ct.restricted and not spec.restricted_files and not counting:
        return False  # its figures, never its pages (统计管理员)
    if spec.scope == roles.LINES:
        return case_type in (user.lines or [])
    return spec.scope == roles.BUREAU or ct.level == OFFICE


def may_register(user, case_type: str) -> bool:
    return uses(user, case_type) and has_cap(user, HANDLE)


def using(*case_types: str):
    """A menu entry's test: the user uses any of these lines."""
    return lambda user: any(uses(user, key) for key in case_types)


def registering(case_type: str):
    """A menu entry's test: the user may register cases of this line."""
    return lambda user: may_register(user, case_type)


def require_line(user, case_type: str) -> None:
    """404 for users outside the line (its pages answer like missing ones)."""
    if not uses(user, case_type):
        raise Http404()


def line_cases(user, case_type: str) -> QuerySet[Case]:
    return visible_to(user).filter(case_type=case_type)


def access_line_case(user, pk, case_type: str, *, for_update: bool = False) -> Case:
    """One case of this line the user may see, or 404 (another line's case answers 404 too)."""
    case = access_case(user, pk, for_update=for_update)
    if case.case_type != case_type:
        raise Http404("未找到该案件。")
    return case


def registration_scope(user, case_type: str):
    """The active orgs of the user's scope, when the user may register cases of this
    line (a ledger's org column reads names against these, and the line says
    which kinds may own its cases)."""
    from sifa.orgs.models import Org
    from sifa.orgs.selectors import subtree

    if not may_register(user, case_type):
        return Org.objects.none()
    return subtree(scope_root(user)).filter(is_active=True)


def creatable_orgs(user, case_type: str):
    """Orgs under which ``user`` may register a case of ``case_type``: the
    registration scope, narrowed to the kinds the line's cases are owned by (a
    bureau-level line's cases belong to the bureau). Used by the home page's
    buttons, the registration forms and ``create_case`` alike."""
    qs = registration_scope(user, case_type)
    ct = registry.find_type(case_type)
    if ct is None:
        return qs.none()
    if ct.owners_for is not None:
        return ct.owners_for(user, qs) if may_register(user, case_type) else qs.none()
    if ct.level == BUREAU:
        return qs.filter(pk=bureau_of(user.org).pk)
    return qs.filter(kind__in=ct.owner_kinds) if ct.owner_kinds else qs


_CHECKED = "_sifa_creatable_for"


def checked_creatable(orgs, user, case_type: str):
    """``orgs`` (rows of ``creatable_orgs(user, case_type)``), marked as checked for
    this user and line, so that ``create_case`` does not ask the database again."""
    for org in orgs:
        setattr(org, _CHECKED, (user.pk, case_type))
    return orgs


def is_checked_creatable(org, user, case_type: str) -> bool:
    pk = getattr(user, "pk", None)
    return pk is not None and getattr(org, _CHECKED, None) == (pk, case_type)


_ID_LIKE = re.compile(r"^\d{15}$|^\d{17}[\dXx]$")
# The start of a code: region code and line letters (350102TJ…): a prefix, nothing else.
_CODE_START = re.compile(r"^[0-9]{6}[A-Z]{2}[0-9A-Z]*$")
# Part of a code as people read it off a paper (0246, 2026000246, TJ2026): at least
# three characters (one trigram) and a digit (two letters alone name a whole line).
_CODE_PART = re.compile(r"^(?=.*[0-9])[0-9A-Z]{3,19}$")
_PHONE_LIKE = re.compile(r"^\+?[0-9][0-9 -]{2,18}$")
_INITIALS = re.compile(r"^[a-zA-Z]{1,10}$")


def search(user, q: str, qs: QuerySet[Case] | None = None) -> QuerySet[Case]:
    """What people type into the search box, within what ``user`` may see:

    * an ID number: exact, through the keyed hash;
    * a case code's start (350102TJ2026…): by prefix;
    * part of a code (0246, 2026000246, TJ2026): anywhere in the code;
    * a phone number: the last four digits (what the masked number shows), or the
      whole number (mobile, or landline with or without its area code). Phones are
      stored encrypted with no keyed hash, so the whole number is found among the
      parties whose last four digits match (a few per office), decrypted and compared;
    * a party's name or part of it, its pinyin initials (zs → 张三) or full pinyin;
    * words of the title.

    Every branch reads an index on PostgreSQL (``test_search_kinds.py`` checks the
    plans); the branches are joined as ``pk IN (… UNION …)``, each case once."""
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
    if len(upper) >= 8 and _CODE_START.match(upper):
        return base.filter(code__startswith=upper)
    names = contains_q("name", q)
    if _INITIALS.match(q):
        low = q.lower()
        names |= Q(name_initials__startswith=low) | Q(name_pinyin__startswith=low)
    # The cases whose title holds the term, and those with a party it names: two
    # index lookups joined as ``pk IN (… UNION …)``, not an OR that has to read
    # every case in scope and every party.
    matches = base.filter(contains_q("title", q)).order_by().values("pk").union(Party.objects.filter(names).order_by().values("case_id"))
    if _CODE_PART.match(upper):
        # A GIN trigram index on the code (migration 0009) finds '%0246%' without a scan.
        matches = matches.union(base.filter(code__contains=upper).order_by().values("pk"))
    if _PHONE_LIKE.match(q) and (phone_ids := _phone_matches(base, q)) is not None:
        matches = matches.union(phone_ids)
    return base.filter(pk__in=matches)


def _phone_matches(base: QuerySet[Case], q: str):
    """The ids of the cases in ``base`` with a party of this phone number (a subquery
    or a list), or None when ``q`` is no phone number to look for."""
    digits = "".join(c for c in q.removeprefix("+86") if c.isdigit())
    if len(digits) == 4:
        # The last four digits are stored in clear (the masked number shows them anyway).
        return Party.objects.filter(phone_last4=digits, case__in=base).order_by().values("case_id")
    if not 7 <= len(digits) <= 12:
        return None
    found = set()
    for case_id, phone in Party.objects.filter(phone_last4=digits[-4:], case__in=base).values_list("case_id", "phone"):
        stored = (phone or "").replace(" ", "")
        local = stored.rsplit("-", 1)[-1]  # a landline without its area code
        if digits in ("".join(c for c in stored if c.isdigit()), local):
            found.add(case_id)
    return Case.all_objects.filter(pk__in=sorted(found)).order_by().values("pk")


class _HasBigrams(Func):
    """PostgreSQL: ``UPPER(text)`` holds every two-character piece of ``UPPER(term)``
    (cases migration 0005): what a GIN index answers for a substring search."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra):
        text, text_params = compiler.compile(self.source_expressions[0])
        term, term_params = compiler.compile(self.source_expressions[1])
        return f"sifa_bigrams(UPPER({text}::text)) @> sifa_bigrams(UPPER({term}))", (*text_params, *term_params)


def contains_q(field: str, q: str) -> Q:
    """``field__icontains=q``, on PostgreSQL with the bigram condition that
    lets an index on ``sifa_bigrams(UPPER(field))`` find the candidates (one
    character has no bigram): the case search, and any line's text search whose
    column has such an index (the hotline's knowledge base)."""
    cond = Q(**{f"{field}__icontains": q})
    if connection.vendor == "postgresql" and len(q) >= 2:
        cond &= Q(_HasBigrams(F(field), Value(q)))
    return cond


def fixed_share(qs: QuerySet[Case], percent: int) -> QuerySet[Case]:
    """``percent`` % of these cases, chosen by id: the same cases every time the sample
    is opened (a quality review's 抽查), spread over offices and months alike."""
    from django.db.models.functions import Mod

    return qs.annotate(_bucket=Mod("id", 100)).filter(_bucket__lt=percent)


def timeline(case: Case):
    return case.events.select_related("actor").order_by("at", "id")


def open_cases_with_parties(user, case_type: str, parties: list[dict]) -> QuerySet[Case]:
    """Open cases of ``case_type`` visible to ``user`` that have any of these
    parties: by ID number (through the keyed hash) when given, else by exact name."""
    from sifa.common.crypto import keyed_hash

    from .parties import clean_party

    hashes, names = set(), set()
    for i, p in enumerate(parties):
        cleaned = clean_party(p, position=i + 1)
        if cleaned.get("id_number"):
            hashes.add(keyed_hash(cleaned["id_number"]))
        else:
            names.add(cleaned["name"])
    if not hashes and not names:
        return Case.objects.none()
    match = Party.objects.filter(case=OuterRef("pk")).filter(Q(id_hash__in=hashes) | Q(name__in=names))
    qs = visible_to(user).filter(case_type=case_type, closed_on__isnull=True).filter(Exists(match))
    return qs.select_related("owner_org").order_by("-opened_on")


def may_take(user) -> bool:
    """Roles that handle cases and are not given them by assignment take cases from the intake list."""
    spec = _spec(user)
    return has_cap(user, HANDLE) and spec is not None and not spec.assignment_scoped


def intake(user) -> QuerySet[Case]:
    """The intake list (待分配): open cases without a handler that ``user`` may
    take — from the portal, a transfer, an import — in their own scope (a case
    shared with them stays its owner's to take)."""
    if not may_take(user):
        return Case.objects.none()
    cond = visible_q(user)
    return Case.objects.filter(cond, handler__isnull=True, closed_on__isnull=True)


# --- the case page's memo ----------------------------------------------------------------------
# The case page reads a case and draws it; nothing on it changes the case. Rows several of
# its parts ask about (the clocks, a line's activities behind both a document's availability
# and the 基本信息 tab) are read once for it and kept on the case object, never on a case
# loaded to be changed: ``page_memo`` is None unless ``for_page`` marked the object.


def for_page(case: Case) -> Case:
    """Mark ``case`` as loaded for the (read-only) case page: its parts share what they read."""
    case.__dict__.setdefault("_sifa_page", {})
    return case


def page_memo(case) -> dict | None:
    return getattr(case, "__dict__", {}).get("_sifa_page")


def page_rows(case: Case, related: str, *, of=None) -> list | None:
    """On the case page, the case's rows of the reverse relation ``related`` (of the case,
    or of ``of``: its line's record), in their model's order, read once and left as the
    relation's prefetched rows, so ``case.<related>.all`` in a template reads no more.
    Elsewhere the rows this request has in hand (``rows_in_hand``: a writer that just
    wrote them primed them), else None (the caller asks the database)."""
    owner = case if of is None else of
    held = rows_in_hand(owner, related)
    if held is not None or page_memo(case) is None:
        return held  # rows in hand (a case just registered has its own), or read by the caller
    from django.db.models import prefetch_related_objects

    prefetch_related_objects([owner], related)
    return list(getattr(owner, related).all())


def rows_in_hand(owner, related: str) -> list | None:
    """``owner``'s rows of the reverse relation ``related`` when this request has them
    already (prefetched, or primed by the writer that just wrote them: ``prime``), in
    the relation's order; None when they are to be read."""
    qs = getattr(owner, "_prefetched_objects_cache", {}).get(related)
    return None if qs is None else list(qs)


def prime(owner, related: str, rows: list) -> None:
    """Leave ``rows`` on ``owner`` as its reverse relation ``related``'s prefetched rows (what
    prefetch_related would leave): ``owner.<related>.all`` reads no more. For rows read
    anyway, in the relation's own order (the timeline's events)."""
    manager = getattr(owner, related)
    qs = manager.all()
    qs._result_cache = list(rows)
    qs._prefetch_done = True
    owner.__dict__.setdefault("_prefetched_objects_cache", {})[manager.field.remote_field.cache_name] = qs


def unprime(owner, related: str) -> None:
    """Forget ``owner``'s rows of ``related`` kept in hand (prefetched or primed): for a
    writer adding rows to it, so that ``owner.<related>.all`` reads them again."""
    getattr(owner, "_prefetched_objects_cache", {}).pop(related, None)


def case_rows(case: Case, related: str, *, of=None) -> list:
    """The case's rows of the reverse relation ``related`` (of the case, or of ``of``: its
    line's record), in their model's order. On the case page they are read once and shared
    by its parts (``page_rows``: a document's availability and the 基本信息 tab); elsewhere
    read now. The one call a line makes, whichever page it is on."""
    rows = page_rows(case, related, of=of)
    return rows if rows is not None else list(getattr(case if of is None else of, related).all())


def case_has(case: Case, related: str, *, of=None, **filters) -> bool:
    """Has the case (or ``of``) any row of ``related`` passing ``filters``? On the case page
    answered from the rows it read once (``case_rows``), elsewhere by one EXISTS query."""
    rows = page_rows(case, related, of=of)
    if rows is not None:
        return bool(_matching(rows, **filters))
    return getattr(case if of is None else of, related).filter(**filters).exists()


def _matching(rows, **filters) -> list:
    """``rows`` that pass ``filters`` as ``.filter(**filters)`` would: ``field=value``,
    ``field__in=values`` and ``field__isnull=flag`` only (what the case page's parts ask)."""

    def ok(row) -> bool:
        for lookup, want in filters.items():
            name, _, op = lookup.partition("__")
            value = getattr(row, name if hasattr(row, name) else f"{name}_id")
            if op == "isnull":
                passed = (value is None) == bool(want)
            elif op == "in":
                passed = value in want
            elif op == "":
                passed = value == want
            else:
                raise ValueError(f"matching: {lookup}")
            if not passed:
                return False
        return True

    return [r for r in rows if ok(r)]
