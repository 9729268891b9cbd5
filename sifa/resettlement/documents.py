"""Word documents of 安置帮教 (A4): templates in ``templates/resettlement/documents/``
(their commands: ``common.docgen``), each offered while ``available(case)``.

* 刑满释放人员衔接登记表 — once the person is handed over (接回 or 报到);
* 帮教协议书 — once the assistance group signed it with the person and the family;
* 安置帮教档案 — the file: a cover, then identity, sentence, hand-over, the grades,
  the group, the contacts, the assistance and the placement;
* 未衔接人员协查函 — to the unit asked to help (发出协查), or else the releasing
  institution, copied to the police, while the person is, or was, not handed over.

Every document opens with the confidentiality mark. The person's ID number, phone,
户籍地 and residence are in full only for roles that may reveal them
(``cases.documents.party_values``); the offence and the sentence are part of the
file and appear as recorded. Whatever staff typed goes through ``cell`` or the
``lines`` filter, so it never reads as a layout command."""

from __future__ import annotations

from datetime import date

from sifa.accounts.roles import REVEAL, has_cap
from sifa.cases.documents import of_role, party_values
from sifa.common.identity import mask_phone
from sifa.kit.casetype import DocumentSpec

from . import conf
from .choices import AssistanceKind, ContactKind, EndKind, HandoverWay, Origin, Placement, Status, Verification

MARK = "内部 · 注意保密"
ROLE = "releasee"


def ymd(d: date | None) -> str:
    """2026-03-07 -> 2026年3月7日 (dates inside a sentence or a cell)."""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def cell(value, blank: str = "—") -> str:
    """Typed text as one table cell: its lines joined, the cell separator kept out."""
    text = "；".join(line.strip() for line in str(value or "").splitlines() if line.strip()).replace("¦", "|")
    return ("\u200b" + text if text.startswith("@") else text) or blank


def _label(choices, value, blank: str = "") -> str:
    try:
        return choices(value).label if value else blank
    except ValueError:
        return value


def grade_label(code: str) -> str:
    return conf.grades().get(code, (code,))[0] if code else ""


def person(case, user) -> dict:
    """The person: the party, the values ``user`` may see, and a sentence naming them."""
    parties = of_role(case, ROLE)
    p = parties[0] if parties else None
    if p is None:
        return {"p": None, "v": {}, "name": case.title, "gender": "", "born": "", "sentence": ""}
    v = party_values(p, user)
    born = ymd(p.birth_date)
    gender = p.get_gender_display() if p.gender else ""
    bits = [p.name, gender, f"{born}出生" if born else "", f"身份证号码{v['id_number']}" if v.get("id_number") else ""]
    return {"p": p, "v": v, "name": p.name, "gender": gender, "born": born, "sentence": "，".join(b for b in bits if b)}


def _residence(rec, user) -> str:
    value = rec.residence or ""
    if not value or has_cap(user, REVEAL):
        return value
    return value[:6] + "****" if len(value) > 6 else "****"


def context(case, user) -> dict:
    rec = case.record
    reveal = has_cap(user, REVEAL)
    helpers = [
        (n, cell(h.name), cell(h.role), cell((h.phone if reveal else mask_phone(h.phone)) or ""))
        for n, h in enumerate(case.resettlement_helpers.all(), start=1)
    ]
    term = f"{ymd(rec.sentence_start)}至{ymd(rec.sentence_end)}" if rec.sentence_start and rec.sentence_end else ""
    return {
        "mark": MARK,
        "organ": case.bureau.name,
        "office": case.owner_org.name,
        "person": person(case, user),
        "residence": _residence(rec, user),
        "residence_org": rec.residence_org.name if rec.residence_org_id else "",
        "origin": _label(Origin, rec.origin),
        "custodial": rec.origin in Origin.custodial(),
        "term": term,
        "release_day": ymd(rec.released_on or rec.expected_release_on),
        "verification": _label(Verification, rec.verification),
        "way": _label(HandoverWay, rec.handover_way),
        "grade": grade_label(rec.grade),
        "placement": _label(Placement, rec.placement),
        "end_kind": _label(EndKind, rec.end_kind),
        "helpers": helpers,
        "period": f"{ymd(rec.released_on)}至{ymd(rec.period_ends_on)}" if rec.released_on and rec.period_ends_on else "",
        "crime": cell(rec.crime),
        "sentence": cell(rec.sentence),
    }


# --- 档案 (the file) ----------------------------------------------------------------------------------------


def _file(case, user) -> dict:
    factors = conf.factors()
    assessments = [
        (ymd(a.on), grade_label(a.grade), cell("、".join(factors.get(f, f) for f in a.factors or []), "无"), cell(a.note))
        for a in case.resettlement_assessments.order_by("on", "id")
    ]
    contacts = [
        (ymd(c.on), _label(ContactKind, c.kind), cell(c.note), cell(c.officer.display_name if c.officer_id else ""))
        for c in case.resettlement_contacts.select_related("officer").order_by("on", "id")
    ]
    assistance = [(ymd(a.on), _label(AssistanceKind, a.kind), cell(a.note)) for a in case.resettlement_assistance.order_by("on", "id")]
    searches = [
        (ymd(x.asked_on), cell(x.org_name), cell(x.request), cell(f"{ymd(x.answered_on)}：{x.answer}" if x.answered_on else "尚未回复"))
        for x in case.resettlement_searches.order_by("asked_on", "id")
    ]
    return {"assessments": assessments, "contacts": contacts, "assistance": assistance, "searches": searches, "status": case.status_label}


# --- 协查函 --------------------------------------------------------------------------------------------------


def latest_search(case):
    return case.resettlement_searches.order_by("-asked_on", "-id").first()


def _inquiry(case, user) -> dict:
    """Addressed to the unit of the latest 协查 (发出协查), or else to the releasing institution."""
    from sifa.cases.services import today

    from .services import report_due

    rec = case.record
    search = latest_search(case)
    due = report_due(rec.released_on) if rec.released_on else None
    return {
        "addressee": cell(search.org_name if search else rec.institution),
        "to_institution": search is None or search.org_name == rec.institution,
        "asked": search.request if search else "",
        "report_due": ymd(due),
        "unlinked_since": ymd(rec.unlinked_since),
        "on": search.asked_on if search else today(),
    }


def _has_record(case) -> bool:
    return case.record is not None


def _doc(key, label, available=None, extra=None) -> DocumentSpec:
    def ctx(case, user) -> dict:
        return context(case, user) | (extra(case, user) if extra else {})

    return DocumentSpec(key, label, f"resettlement/documents/{key}.txt", available or _has_record, ctx)


DOCUMENTS = (
    _doc("handover", "刑满释放人员衔接登记表", lambda case: _has_record(case) and case.record.handed_over_on is not None),
    _doc("agreement", "帮教协议书", lambda case: _has_record(case) and case.record.agreement_on is not None),
    _doc("file", "安置帮教档案", extra=_file),
    _doc(
        "inquiry",
        "未衔接人员协查函",
        lambda case: (
            _has_record(case)
            and case.record.released_on is not None
            and (case.status == Status.UNLINKED or case.record.unlinked_since is not None or case.resettlement_searches.exists())
        ),
        _inquiry,
    ),
)
