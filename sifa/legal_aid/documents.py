"""The Word documents of a legal-aid case: templates in
``templates/legal_aid/documents/`` (commands: ``common.docgen``), each offered
on the case page's 文书 tab once the step that issues it has happened.

Their forms follow SF/T 0024-2017 §8 (格式文书: 法律援助申请表, 申请人经济状况
证明表, 申请材料接收凭证, 补充材料通知书, 审批表, 给予/不予法律援助决定书, 送达
回证, 指派通知书, 法律援助公函) and the 结案审查 of the dossier rules (DOMAIN.md
§6.2); their wording cites 《中华人民共和国法律援助法》: §41 (诚信承诺), §42
(免予核查), §43 (七日审查、三日指派、一次性告知、视为撤回), §44 (先行提供),
§36 (通知辩护), §46–§50 (承办、终止、异议、结案材料). Every one is issued by the
case's 法律援助中心 (its owner org), numbered with variants of the case's 文号
(测援援决字〔2026〕第1号 → 测援援指字〔2026〕第1号). Personal data (the
parties' numbers and address, income, economy) is in full only for roles that
may reveal it, as in the other lines' forms (``cases.documents``)."""

from __future__ import annotations

from datetime import date

from sifa.accounts.roles import REVEAL, has_cap
from sifa.cases.documents import doc_number_variant, names, of_role, party_sentence, party_values
from sifa.cases.selectors import case_has
from sifa.common.text import money
from sifa.kit.casetype import DocumentSpec

from . import conf
from .choices import AssignMode, Category, Exemption, Grade, Ground, Kind, MeansBasis, Outcome, ProviderKind, Satisfaction, Stage, Status
from .forms import CHECKLIST

LAW = "《中华人民共和国法律援助法》"
HIDDEN = "＊＊＊"
# Granted, and everything a grant leads to (a notified case is assigned without a decision).
AFTER_GRANT = (Status.GRANTED, Status.ASSIGNED, Status.ENDED, Status.REVIEW, Status.CLOSED, Status.TERMINATED)

BASIS = {
    MeansBasis.CHECKED: "经信息共享查询核查，你的经济状况符合经济困难标准",
    MeansBasis.PLEDGE: "你已如实说明经济困难状况并作出个人诚信承诺（第四十一条）",
    MeansBasis.NOT_REQUIRED: "你申请的事项不受经济困难条件的限制",
}


def _label(choices, value, blank: str = "—") -> str:
    try:
        return choices(value).label if value else blank
    except ValueError:
        return value


def _money(value) -> str:
    try:
        return money(value) if value not in (None, "") else ""
    except ArithmeticError:  # an imported figure that is not a number: as written
        return str(value)


def number(case, word: str) -> str:
    """The case's 文号 with the document's own word (指, 函, 补 …); before a
    decision has numbered the case, a blank number to be filled in by hand."""
    n = case.doc_number or ""
    if "援决字" in n:
        return n.replace("援决字", f"援{word}字", 1)
    if n:
        return doc_number_variant(case, f"{word}字")
    return f"{case.owner_org.short_name}援{word}字〔　　〕第　　号"


def latest_event(case, transition: str):
    return case.events.filter(transition=transition).order_by("-at", "-id").first()


def event_on(event) -> date | None:
    on = (event.data or {}).get("on") if event else None
    return date.fromisoformat(on) if on else (event.at.date() if event else None)


def received_at(case, rec):
    """Where the application was received: an office receiving it for the centre
    (通办, ``services.register``), else the centre itself."""
    got, owner = rec.received_by, case.owner_org
    if got is None or got.path.startswith(owner.path) or owner.path.startswith(got.path):
        return owner
    return got


def defender_word(rec) -> str:
    """What the provider becomes: the accused's 辩护人, a victim's or a forced-medical patient's 诉讼代理人."""
    if rec.category == Category.CRIMINAL and rec.ground not in (Ground.S28, Ground.S29):
        return "辩护人"
    return "诉讼代理人" if rec.category != Category.NON_LITIGATION else "代理人"


def context(case, user) -> dict:
    rec = case.record
    reveal = has_cap(user, REVEAL)
    applicants = of_role(case, "applicant")
    provider = rec.provider
    exemption = _label(Exemption, rec.exemption, "")
    basis = BASIS.get(rec.means_basis, "")
    if rec.means_basis == MeansBasis.EXEMPT:
        basis = f"你属于{LAW}第四十二条规定的“{exemption}”，免予核查经济困难状况"
    unit = "个工作日" if conf.get("REVIEW_UNIT") == "workday" else "日"
    return {
        "LAW": LAW,
        "org": case.owner_org.name,
        "bureau": getattr(case.owner_org, "parent", None) or case.bureau,
        "received_by": received_at(case, rec),
        "applicants": [{"p": p, "v": party_values(p, user)} for p in applicants],
        "agents": [party_sentence(p, user) for p in of_role(case, "agent")],
        "applicant_names": names(applicants, blank="申请人"),
        "notify": rec.kind == Kind.NOTIFY,
        "category": _label(Category, rec.category) + (f"（{_label(Stage, rec.stage)}）" if rec.stage else ""),
        "kind": _label(Kind, rec.kind),
        "ground": _label(Ground, rec.ground),
        "groups": "、".join(rec.group_labels) or "无",
        "income": _money(rec.income) if reveal else HIDDEN,
        "economy": (rec.economy if reveal else HIDDEN) or "",
        "means_basis": _label(MeansBasis, rec.means_basis),
        "exemption": exemption or "—",
        "basis": basis,
        "provider": provider,
        "provider_kind": _label(ProviderKind, provider.kind) if provider else "",
        "provider_phone": (provider.phone if reveal else HIDDEN) if provider else "",
        "assign_mode": _label(AssignMode, rec.assign_mode),
        "defender": defender_word(rec),
        "review_days": conf.get("REVIEW_DAYS"),
        "review_unit": unit,
        "assign_days": conf.get("ASSIGN_DAYS"),
        "closing_days": conf.get("CLOSING_WORKDAYS"),
        "objection_days": conf.get("OBJECTION_DAYS"),
        "capital_years": conf.get("CAPITAL_YEARS"),
    }


def _materials(case, user) -> dict:
    e = latest_event(case, "request_materials")
    return {"missing": (e.data or {}).get("missing", ""), "notified_on": event_on(e), "days": conf.get("MATERIALS_DAYS")}


def _sentence(text: str) -> str:
    text = (text or "").strip()
    return text if not text or text[-1] in "。；！" else text + "。"


def _decision(case, user) -> dict:
    rec = case.record
    refused = case.status == Status.REFUSED
    e = latest_event(case, "refuse" if refused else "grant")
    title = "不予法律援助决定书" if refused else "给予法律援助决定书"
    return {
        "refused": refused,
        "reason": _sentence(e.reason) if e and refused else "",
        "reviewer": e.actor_name if e else "",
        "served": f"{title}（{rec.decision_number}）",
    }


def _closing(case, user) -> dict:
    rec = case.record
    closed = latest_event(case, "close") if case.status == Status.CLOSED else None
    checked = set((closed.data or {}).get("checklist", ())) if closed else set()
    report = latest_event(case, "submit_closing")
    return {
        "closed": closed,
        "checklist": [(label, ("已核对" if key in checked else "未核对") if closed else "") for key, label in CHECKLIST],
        "report": (report.data or {}).get("report", "") if report else "",
        "outcome": _label(Outcome, rec.outcome),
        "fees_waived": money(rec.fees_waived) if rec.fees_waived is not None else "—",
        "losses_recovered": money(rec.losses_recovered) if rec.losses_recovered is not None else "—",
        "grade": _label(Grade, rec.grade, "　"),
        "satisfaction": _label(Satisfaction, rec.satisfaction, "　"),
    }


# The dossier's contents in the standard order (审批卷 then 承办卷; DOMAIN.md §6.2).
DOSSIER = (
    ("申请或通知材料", ("application", "receipt")),
    ("身份证明", ()),
    ("经济困难证明或诚信承诺", ("means",)),
    ("案件证明材料", ()),
    ("补充材料通知", ("materials",)),
    ("审批表、决定书", ("approval", "grant", "refusal")),
    ("指派通知书、公函", ("assignment", "letter")),
    ("送达回证", ("service",)),
    ("委托/辩护协议", ()),
    ("据以结案的法律文书", ()),
    ("办理情况报告", ()),
    ("结案审查表、质量评估、回访材料", ("closing",)),
)


def _dossier(case, user) -> dict:
    offered = {d.key for d in DOCUMENTS if d.key != "dossier" and d.available(case)}
    archived = latest_event(case, "close")
    rows = [(i, label, "有" if any(k in offered for k in keys) else "") for i, (label, keys) in enumerate(DOSSIER, start=1)]
    kind_label = "通知类" if case.record.kind == Kind.NOTIFY else "申请类"
    return {
        "contents": rows,
        "archived_by": getattr(archived, "actor_name", "") if archived else "",
        "kind_label": kind_label,
        "number_assign": number(case, "指"),
    }


def _doc(key, label, word, available, extra=None) -> DocumentSpec:
    def ctx(case, user) -> dict:
        return context(case, user) | (extra(case, user) if extra else {}) | {"number": number(case, word) if word else ""}

    return DocumentSpec(key, label, f"legal_aid/documents/{key}.txt", lambda case: case.record is not None and available(case, case.record), ctx)


def _applied(case, rec) -> bool:
    return rec.kind in (Kind.APPLY, Kind.FORWARDED)


DOCUMENTS = (
    _doc("application", "法律援助申请表", "", _applied),  # a court's notice (通知辩护) is no application
    _doc("means", "经济困难状况说明表（个人诚信承诺书）", "", lambda c, r: r.kind == Kind.APPLY),
    _doc("receipt", "申请材料接收凭证", "", _applied),
    _doc("materials", "补充材料通知书", "补", lambda c, r: case_has(c, "events", transition="request_materials"), _materials),
    _doc("approval", "法律援助审批表", "", lambda c, r: bool(r.decided_on), _decision),
    _doc("grant", "给予法律援助决定书", "", lambda c, r: bool(r.decided_on) and c.status in AFTER_GRANT),
    _doc("refusal", "不予法律援助决定书", "", lambda c, r: c.status == Status.REFUSED, _decision),
    _doc("assignment", "指派通知书", "指", lambda c, r: r.provider_id is not None),
    _doc("letter", "法律援助公函", "函", lambda c, r: r.provider_id is not None and (r.category == Category.CRIMINAL or r.kind == Kind.NOTIFY)),
    _doc("service", "送达回证", "", lambda c, r: bool(r.decided_on), _decision),
    _doc("closing", "结案审查表", "", lambda c, r: c.status in (Status.REVIEW, Status.CLOSED), _closing),
    _doc("dossier", "卷宗封面及目录", "", lambda c, r: c.status == Status.CLOSED, _dossier),
)
